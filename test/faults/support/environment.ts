/**
 * Where the fault tests run and how big they are. A database and a Redis db index of their own: other
 * engineers' tests and benchmarks use other indexes of the same Redis, so a scenario's "FLUSHALL" is a
 * FLUSHDB of this index only.
 */
export const FAULTS_DATABASE_URL = process.env.FAULTS_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campana_faults';
export const FAULTS_REDIS_URL = process.env.FAULTS_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

/** Contacts in each scenario's audience; CI runs the default. */
export const FAULT_RECIPIENTS = Number(process.env.FAULT_RECIPIENTS ?? 20_000);

/** The account the Twilio-compatible server accepts and signs callbacks with. */
export const ACCOUNT_SID = `AC${'f'.repeat(32)}`;
export const AUTH_TOKEN = 'faults-auth-token-000000';
export const SMS_FROM = '+595210000098';
export const WHATSAPP_FROM = '+595210000099';
