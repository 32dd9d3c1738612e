/**
 * Structured JSON logs. Personal data and secrets never reach them, by two independent guards:
 *  - known fields are redacted by path (names, phones, bodies, keys, tokens), wherever they sit;
 *  - every line is scrubbed on its way out: an E.164 number in free text (a provider's or the database's
 *    error message, a URL) is masked like +59598****456, and the values of `phone=`/`key=`/`token=`
 *    query parameters are removed. The second guard catches what the first cannot know about.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

/** Where log lines go: stdout by default, a test's buffer when capturing. */
export type LogDestination = { write(line: string): unknown };

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  '*.phone',
  '*.name',
  '*.body',
  '*.Body',
  '*.To',
  '*.From',
  '*.to',
  '*.from',
  '*.attributes',
  '*.email',
  '*.authToken',
  '*.secondaryAuthToken',
  '*.adminKey',
  '*.apiKey',
  '*.key',
  '*.token',
  'phone',
  'name',
  'body',
  'to',
  'from',
  'attributes',
  'key',
  'token',
];

// A + and 7 to 15 digits, not glued to letters or digits (a SID or a longer number is left alone).
const E164_IN_TEXT = /(?<![\w+])\+\d{7,15}(?!\d)/g;
const SENSITIVE_QUERY_VALUE = /([?&](?:phone|key|token)=)[^&"\s]*/gi;

/** Masks phone numbers and credentials in a rendered log line. */
export function scrubLogLine(line: string): string {
  return line.replace(E164_IN_TEXT, (phone) => maskPhone(phone)).replace(SENSITIVE_QUERY_VALUE, '$1[redacted]');
}

export function createLogger(level: string, destination: LogDestination = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: { service: 'campana' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    { write: (line: string) => destination.write(scrubLogLine(line)) },
  );
}

/** +595981123456 -> +59598****456: enough to tell numbers apart in an incident, not to call one. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const bare = phone.replace(/^whatsapp:/, '');
  if (bare.length <= 8) return '****';
  return `${bare.slice(0, 6)}****${bare.slice(-3)}`;
}
