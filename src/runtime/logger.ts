/**
 * Structured JSON logs. Personal data never reaches them: known fields are redacted by path, and code
 * that must mention a phone number logs it through maskPhone.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  '*.phone',
  '*.name',
  '*.body',
  '*.Body',
  '*.To',
  '*.From',
  '*.to',
  '*.from',
  '*.authToken',
  '*.apiKey',
  '*.key',
  'phone',
  'body',
  'to',
  'from',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'campana' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** +595981123456 -> +59598****456: enough to tell numbers apart in an incident, not to call one. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const bare = phone.replace(/^whatsapp:/, '');
  if (bare.length <= 8) return '****';
  return `${bare.slice(0, 6)}****${bare.slice(-3)}`;
}
