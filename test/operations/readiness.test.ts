/**
 * /readyz tells a load balancer the truth, and the service heals itself: with its own Redis killed in
 * the middle of a step, /readyz answers 503 while the API keeps answering reads; once Redis is back
 * (empty, as after a restart without persistence) /readyz answers 200 and the step completes with every
 * message sent once. The same for PostgreSQL, cut off behind a proxy and restored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioCompatibleServer } from '../twilio-server/server.js';
import { createUserKey, resetDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';
import { approveOneStep, campaignCompleted, insertSmsContacts } from './campaign-fixture.js';
import { PostgresCut, ThrowawayRedis } from './throwaway-services.js';

const RECIPIENTS = 60;

async function readiness(h: Harness): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${h.baseUrl}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe('readiness and recovery', () => {
  describe('when Redis goes away during a step', () => {
    const twilio = new TwilioCompatibleServer({ callbacks: { enabled: true, delayMs: 20 } });
    let redis: ThrowawayRedis;
    let h: Harness;

    beforeAll(async () => {
      await resetDatabase();
      await twilio.start();
      redis = await ThrowawayRedis.start();
      h = await startHarness({ twilio, env: { REDIS_URL: redis.url, SMS_RATE_PER_SECOND: '20', SEND_BATCH_SIZE: '10', SEND_CONCURRENCY: '2' } });
      await insertSmsContacts(h.services.db.pool, RECIPIENTS);
    });
    afterAll(async () => {
      await redis?.restart().catch(() => undefined);
      await h?.close();
      await redis?.kill();
      await twilio.stop();
    });

    it('answers 503 while Redis is down, keeps serving reads, and finishes the step once Redis is back', async () => {
      expect(await readiness(h)).toEqual({ status: 200, body: { status: 'ready', postgres: 'up', redis: 'up' } });
      const approverKey = await createUserKey(h.services.db.pool, 'approver');
      const campaignId = await approveOneStep(h.api, (method, path, body) => h.api(method, path, body, approverKey), 500);
      await waitFor('sending under way', async () => twilio.messages.length >= 10, 20_000, 20);

      await redis.kill();
      await waitFor('readyz to notice', async () => (await readiness(h)).status === 503, 5000);
      expect(await readiness(h)).toEqual({ status: 503, body: { status: 'unavailable', postgres: 'up', redis: 'down' } });
      const read = await h.api('GET', '/v1/contacts?limit=1');
      expect(read.status).toBe(200);
      const sentDuringOutage = twilio.messages.length;

      await redis.restart();
      await waitFor('readyz to recover', async () => (await readiness(h)).status === 200, 15_000);
      await waitFor('the step completed', () => campaignCompleted(h.api, campaignId), 40_000, 250);
      expect(sentDuringOutage).toBeLessThan(RECIPIENTS);
      expect(twilio.messages).toHaveLength(RECIPIENTS);
      expect(twilio.duplicates()).toEqual([]);
    }, 90_000);
  });

  describe('when PostgreSQL cannot be reached', () => {
    let cut: PostgresCut & { url: string };
    let h: Harness;

    beforeAll(async () => {
      await resetDatabase();
      cut = await PostgresCut.start(process.env.DATABASE_URL!);
      h = await startHarness({ workers: false, env: { DATABASE_URL: cut.url } });
    });
    afterAll(async () => {
      await h?.close();
      await cut?.cut();
    });

    it('answers 503 while it is cut off and 200 again once it is back, without a restart', async () => {
      expect((await h.api('GET', '/v1/contacts')).status).toBe(200);
      await cut.cut();
      expect(await readiness(h)).toEqual({ status: 503, body: { status: 'unavailable', postgres: 'down', redis: 'up' } });
      await cut.restore();
      await waitFor('readyz to recover', async () => (await readiness(h)).status === 200, 10_000);
      expect((await h.api('GET', '/v1/contacts')).status).toBe(200);
    });
  });
});
