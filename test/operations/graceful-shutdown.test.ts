/**
 * SIGTERM in the middle of a step: the service (`main.ts all`, API and workers in one process) stops
 * accepting, lets its workers finish their current batches, and exits 0; started again, it sends the
 * rest. Every recipient gets the message exactly once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioCompatibleServer } from '../twilio-server/server.js';
import { createUserKey, freePort, resetDatabase, waitFor } from '../support/harness.js';
import { approveOneStep, campaignCompleted, insertSmsContacts, type ApiCall } from './campaign-fixture.js';
import { spawnService, type ServiceProcess } from './service-process.js';

const RECIPIENTS = 150;

describe('graceful shutdown on SIGTERM', () => {
  const twilio = new TwilioCompatibleServer({ callbacks: { enabled: true, delayMs: 20 } });
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
  let base: string;
  let env: Record<string, string>;
  let service: ServiceProcess | undefined;

  const apiAs = (key: () => string): ApiCall => async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: await response.json() };
  };
  let approverKey: string;
  const api = apiAs(() => adminKey);

  async function start(): Promise<ServiceProcess> {
    const started = spawnService('all', env);
    await waitFor('the service to be ready', async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 30_000, 200);
    return started;
  }

  beforeAll(async () => {
    await resetDatabase();
    await twilio.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      CAMPANA_ADMIN_KEY: adminKey,
      // The same queues before and after the restart: what was left queued is picked up again.
      QUEUE_PREFIX: `{shutdown-${randomBytes(3).toString('hex')}}`,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_API_URL: twilio.url,
      TWILIO_SMS_FROM: '+595210000098',
      // Small batches, two at a time, at 30 a second: a SIGTERM always finds work left in the queue.
      SMS_RATE_PER_SECOND: '30',
      SEND_BATCH_SIZE: '10',
      SEND_CONCURRENCY: '2',
      LOG_LEVEL: 'info',
    };
    await insertSmsContacts(pool, RECIPIENTS);
    approverKey = await createUserKey(pool, 'approver');
  }, 60_000);
  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await twilio.stop();
    await pool.end();
  });

  it('finishes the batches in hand, exits 0, and leaves the rest queued', async () => {
    service = await start();
    const campaignId = await approveOneStep(api, apiAs(() => approverKey), 1000);
    await waitFor('sending under way', async () => twilio.messages.length >= 40, 30_000, 20);

    const signalled = Date.now();
    expect(await service.stop()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(service.output).toContain('"msg":"shutting down"');
    expect(service.output).toContain('"msg":"stopped"');

    const sentBeforeRestart = twilio.messages.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(twilio.messages.length).toBe(sentBeforeRestart);
    expect(sentBeforeRestart).toBeLessThan(RECIPIENTS);
    const claimed = await pool.query(`SELECT count(*)::int AS n FROM deliveries WHERE campaign_id = $1 AND claimed_until IS NOT NULL AND provider_sid IS NULL`, [campaignId]);
    expect(claimed.rows[0].n).toBe(0); // nothing was left half-sent

    service = await start();
    await waitFor('the step completed after the restart', () => campaignCompleted(api, campaignId), 30_000, 200);
    expect(twilio.messages).toHaveLength(RECIPIENTS);
    expect(twilio.duplicates()).toEqual([]);
    expect(new Set(twilio.messages.map((m) => m.to)).size).toBe(RECIPIENTS);

    expect(await service.stop()).toBe(0);
  }, 90_000);
});
