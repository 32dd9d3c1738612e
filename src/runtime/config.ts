/**
 * Configuration from the environment, checked once at start. Every bad value is reported together,
 * each naming the variable and the form it expects, so an operator fixes them in one go.
 */
import { isValidTimezone } from '../shared/time.js';

export type TwilioSettings = {
  accountSid: string;
  authToken: string;
  smsFrom?: string;
  messagingServiceSid?: string;
  whatsappFrom?: string;
  apiUrl?: string;
  /** During a rotation of the auth token, the other token webhooks may be signed with (docs/operations.md). */
  secondaryAuthToken?: string;
};

export type Config = {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  host: string;
  publicBaseUrl: string;
  adminKey?: string;
  logLevel: string;
  /** Redis key prefix of every queue; a {hash tag} keeps a queue's keys in one Redis Cluster slot. */
  queuePrefix: string;
  /** null: the built-in sandbox provider stands in for Twilio. */
  twilio: TwilioSettings | null;
  /** Token that signs the sandbox's status callbacks (TWILIO_AUTH_TOKEN when set). */
  webhookAuthToken: string;
  /** Every token a webhook signature may be made with: the auth token, and the secondary during a rotation. */
  webhookVerifyTokens: string[];
  sandbox: { smsFrom: string; whatsappFrom: string; failureRate: number; callbackDelayMs: number; webhookTarget?: string };
  pacing: { smsPerSecond: number; whatsappPerSecond: number; whatsappDailyRecipients: number };
  workers: { sendConcurrency: number; sendBatchSize: number; fanoutChunk: number };
  /** PostgreSQL connections per process: a few busy connections beat many contending ones on few cores. */
  databasePoolSize: number;
  defaultTimezone: string;
  /** Language codes contacts and message texts may use; the first is the default fallback. */
  languages: string[];
  /** Message bodies of deliveries and replies older than this many days are purged. */
  retentionDays: number;
  /** Requests per minute: per API key on /v1, per client address on public pages. */
  rateLimits: { apiPerMinute: number; publicPerMinute: number };
  /** fastify's trustProxy: which proxies' X-Forwarded-For to believe (the client address rate limits use). */
  trustProxy: boolean | string;
  /** Worker processes serve /metrics on this port when set (the API serves it on PORT). */
  metricsPort?: number;
  /** When set, /metrics asks for "Authorization: Bearer <token>". */
  metricsToken?: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Variables whose values are never repeated in an error message. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'CAMPANA_ADMIN_KEY', 'TWILIO_AUTH_TOKEN', 'TWILIO_AUTH_TOKEN_SECONDARY', 'METRICS_TOKEN']);

/** Signs the sandbox's own callbacks when no Twilio account is configured; not a secret. */
export const SANDBOX_AUTH_TOKEN = 'sandbox-auth-token-not-secret';

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (raw: string) => T | undefined, expected: string): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = parse(raw.trim());
    // A secret (or a URL that may carry a password) is never echoed: the message goes to logs.
    const got = SECRET_VARIABLES.has(name) ? `a value of ${raw.length} characters, not shown` : `"${raw}"`;
    if (value === undefined) problems.push(`${name} must be ${expected} (got ${got})`);
    return value ?? fallback;
  };

  const port = read('PORT', 3000, integerIn(1, 65535), 'a port number from 1 to 65535');
  const config: Config = {
    databaseUrl: read('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/campana', urlWith(['postgres:', 'postgresql:']), 'a postgresql:// URL'),
    redisUrl: read('REDIS_URL', 'redis://127.0.0.1:6379', urlWith(['redis:', 'rediss:']), 'a redis:// or rediss:// URL'),
    port,
    host: read('HOST', '0.0.0.0', (v) => v, 'a host name or address'),
    publicBaseUrl: read('PUBLIC_BASE_URL', `http://localhost:${port}`, baseUrl, 'an http(s) URL without query, e.g. https://campana.example.org'),
    adminKey: read('CAMPANA_ADMIN_KEY', undefined, (v) => (v.length >= 24 ? v : undefined), 'at least 24 characters'),
    logLevel: read('LOG_LEVEL', 'info', oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'one of fatal, error, warn, info, debug, trace, silent'),
    queuePrefix: read('QUEUE_PREFIX', '{campana}', (v) => (/^\{[^{}]+\}$/.test(v) ? v : undefined), 'a Redis hash tag such as {campana}'),
    twilio: null,
    webhookAuthToken: SANDBOX_AUTH_TOKEN,
    webhookVerifyTokens: [SANDBOX_AUTH_TOKEN],
    sandbox: {
      smsFrom: '+595210000000',
      whatsappFrom: '+595210000001',
      failureRate: read('SANDBOX_FAILURE_RATE', 0.03, numberIn(0, 1), 'a fraction from 0 to 1'),
      callbackDelayMs: read('SANDBOX_CALLBACK_DELAY_MS', 500, integerIn(0, 600_000), 'milliseconds from 0 to 600000'),
      webhookTarget: read('SANDBOX_WEBHOOK_TARGET', undefined, baseUrl, 'an http(s) base URL where the sandbox can reach the API, e.g. http://api:3000'),
    },
    pacing: {
      smsPerSecond: read('SMS_RATE_PER_SECOND', 10, numberIn(0.01, 10_000), 'messages (segments) per second, from 0.01 to 10000'),
      whatsappPerSecond: read('WHATSAPP_RATE_PER_SECOND', 80, numberIn(0.01, 10_000), 'messages per second, from 0.01 to 10000'),
      whatsappDailyRecipients: read('WHATSAPP_DAILY_RECIPIENT_CAP', 0, integerIn(0, 100_000_000), 'a whole number of recipients per 24 hours, 0 for no cap'),
    },
    workers: {
      sendConcurrency: read('SEND_CONCURRENCY', 8, integerIn(1, 1000), 'a whole number of batches sent at once per worker, 1 to 1000'),
      sendBatchSize: read('SEND_BATCH_SIZE', 100, integerIn(1, 1000), 'a whole number of recipients per batch job, 1 to 1000'),
      fanoutChunk: read('FANOUT_CHUNK', 5000, integerIn(100, 100_000), 'a whole number of recipients per fan-out transaction, 100 to 100000'),
    },
    languages: read('LANGUAGES', ['es', 'gn'], languageList, 'a comma-separated list of 2- or 3-letter language codes, e.g. es,gn'),
    databasePoolSize: read('DATABASE_POOL_SIZE', 5, integerIn(1, 500), 'a whole number of connections per process, 1 to 500'),
    defaultTimezone: read('DEFAULT_TIMEZONE', 'America/Asuncion', (v) => (isValidTimezone(v) ? v : undefined), 'an IANA time zone such as America/Asuncion'),
    retentionDays: read('RETENTION_DAYS', 180, integerIn(1, 3650), 'a whole number of days from 1 to 3650'),
    rateLimits: {
      apiPerMinute: read('RATE_LIMIT_API_PER_MINUTE', 1200, integerIn(1, 1_000_000), 'a whole number of requests per minute per API key, 1 to 1000000'),
      publicPerMinute: read('RATE_LIMIT_PUBLIC_PER_MINUTE', 120, integerIn(1, 1_000_000), 'a whole number of requests per minute per client address, 1 to 1000000'),
    },
    trustProxy: read('TRUST_PROXY', false, trustProxy, 'true, false, or the comma-separated addresses/CIDRs of your proxies, such as 10.0.0.0/8'),
    metricsPort: read('METRICS_PORT', undefined, integerIn(1, 65535), 'a port number from 1 to 65535'),
    metricsToken: read('METRICS_TOKEN', undefined, (v) => (v.length >= 16 ? v : undefined), 'at least 16 characters'),
  };

  const accountSid = read('TWILIO_ACCOUNT_SID', undefined, matching(/^AC[0-9a-fA-F]{32}$/), 'AC followed by 32 hexadecimal characters');
  if (accountSid) {
    const twilio: TwilioSettings = {
      accountSid,
      authToken: read('TWILIO_AUTH_TOKEN', '', (v) => (v.length >= 16 ? v : undefined), 'the account auth token'),
      smsFrom: read('TWILIO_SMS_FROM', undefined, e164, 'an E.164 number such as +595981123456'),
      messagingServiceSid: read('TWILIO_MESSAGING_SERVICE_SID', undefined, matching(/^MG[0-9a-fA-F]{32}$/), 'MG followed by 32 hexadecimal characters'),
      whatsappFrom: read('TWILIO_WHATSAPP_FROM', undefined, (v) => e164(v.replace(/^whatsapp:/, '')), 'an E.164 number, with or without the whatsapp: prefix'),
      apiUrl: read('TWILIO_API_URL', undefined, baseUrl, 'an http(s) base URL that replaces https://api.twilio.com'),
      secondaryAuthToken: read('TWILIO_AUTH_TOKEN_SECONDARY', undefined, (v) => (v.length >= 16 ? v : undefined), 'an auth token of the account (the other one, during a rotation)'),
    };
    if (!env.TWILIO_AUTH_TOKEN?.trim()) problems.push('TWILIO_AUTH_TOKEN must be set when TWILIO_ACCOUNT_SID is');
    if (!twilio.smsFrom && !twilio.messagingServiceSid && !twilio.whatsappFrom) {
      problems.push('TWILIO_SMS_FROM, TWILIO_MESSAGING_SERVICE_SID or TWILIO_WHATSAPP_FROM must be set when TWILIO_ACCOUNT_SID is');
    }
    config.twilio = twilio;
    config.webhookAuthToken = twilio.authToken;
    config.webhookVerifyTokens = [twilio.authToken, ...(twilio.secondaryAuthToken ? [twilio.secondaryAuthToken] : [])];
  } else {
    for (const name of ['TWILIO_AUTH_TOKEN', 'TWILIO_AUTH_TOKEN_SECONDARY', 'TWILIO_SMS_FROM', 'TWILIO_MESSAGING_SERVICE_SID', 'TWILIO_WHATSAPP_FROM', 'TWILIO_API_URL']) {
      if (env[name]) problems.push(`${name} is set but TWILIO_ACCOUNT_SID is not: set both, or neither to use the sandbox provider`);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function integerIn(min: number, max: number) {
  return (raw: string) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
}

function numberIn(min: number, max: number) {
  return (raw: string) => {
    const n = Number(raw);
    return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
  };
}

function oneOf(values: string[]) {
  return (raw: string) => (values.includes(raw) ? raw : undefined);
}

function matching(pattern: RegExp) {
  return (raw: string) => (pattern.test(raw) ? raw : undefined);
}

function languageList(raw: string) {
  const codes = raw.split(',').map((c) => c.trim().toLowerCase());
  return codes.length > 0 && codes.every((c) => /^[a-z]{2,3}$/.test(c)) ? codes : undefined;
}

function trustProxy(raw: string): boolean | string | undefined {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const entries = raw.split(',').map((e) => e.trim());
  return entries.every((e) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e)) ? entries.join(',') : undefined;
}

function e164(raw: string) {
  return /^\+[1-9]\d{6,14}$/.test(raw) ? raw : undefined;
}

function urlWith(protocols: string[]) {
  return (raw: string) => {
    try {
      return protocols.includes(new URL(raw).protocol) ? raw : undefined;
    } catch {
      return undefined;
    }
  };
}

function baseUrl(raw: string) {
  try {
    const url = new URL(raw);
    if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) return undefined;
    return raw.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
