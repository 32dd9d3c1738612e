/**
 * A whole Campana (API and workers) in the test process, on the real test database and Redis, with the
 * real twilio package talking to a local Twilio-compatible server (or the sandbox provider). Each
 * harness gets its own queue prefix, so leftovers of another test never reach its workers.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { insertKey } from '../../src/access/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/runtime/config.js';
import { createLogger, type LogDestination } from '../../src/runtime/logger.js';
import { openServices, type Services } from '../../src/runtime/services.js';
import { startWorkers, type RunningWorkers } from '../../workers/index.js';
import type { TwilioCompatibleServer } from '../twilio-server/server.js';

export type Harness = {
  config: Config;
  services: Services;
  app: FastifyInstance;
  baseUrl: string;
  adminKey: string;
  workers: RunningWorkers | null;
  api<T = any>(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  twilio?: TwilioCompatibleServer;
  env?: Record<string, string>;
  workers?: boolean;
  /** Where log lines go (a test capturing them); with LOG_LEVEL in env to choose how many. */
  logDestination?: LogDestination;
};

export const TEST_WHATSAPP_FROM = '+595210000099';
export const TEST_SMS_FROM = '+595210000098';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function resetDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  await client.end();
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: process.env.REDIS_URL!,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    QUEUE_PREFIX: `{test-${randomBytes(4).toString('hex')}}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SANDBOX_CALLBACK_DELAY_MS: '50',
    SANDBOX_FAILURE_RATE: '0',
    SMS_RATE_PER_SECOND: '500',
    WHATSAPP_RATE_PER_SECOND: '500',
    ...(options.twilio
      ? {
          TWILIO_ACCOUNT_SID: options.twilio.accountSid,
          TWILIO_AUTH_TOKEN: options.twilio.authToken,
          TWILIO_API_URL: options.twilio.url,
          TWILIO_WHATSAPP_FROM: TEST_WHATSAPP_FROM,
          TWILIO_SMS_FROM: TEST_SMS_FROM,
        }
      : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const services = openServices(config, createLogger(config.logLevel, options.logDestination));
  const app = await buildApp(services);
  await app.listen({ port, host: '127.0.0.1' });
  const workers = options.workers === false ? null : startWorkers(services, { maintenanceSpeedUp: 5 });
  const adminKey = await createUserKey(services.db.pool, 'admin');
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    config,
    services,
    app,
    baseUrl,
    adminKey,
    workers,
    async api(method, path, body, key = adminKey) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await app.close();
      await workers?.close();
      await services.queues.send.obliterate({ force: true }).catch(() => undefined);
      await services.queues.fanout.obliterate({ force: true }).catch(() => undefined);
      await services.close();
    },
  };
}

/** A new user with the given role and an API key for them. */
export async function createUserKey(pool: pg.Pool, role: 'admin' | 'communicator' | 'approver' | 'viewer', departments: string[] = []): Promise<string> {
  const { rows } = await pool.query<{ id: number }>('INSERT INTO users (name, role, departments) VALUES ($1, $2, $3) RETURNING id', [`${role} ${randomBytes(3).toString('hex')}`, role, departments]);
  const key = `cmp_${randomBytes(24).toString('base64url')}`;
  await insertKey(pool, rows[0]!.id, 'test', key);
  return key;
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
