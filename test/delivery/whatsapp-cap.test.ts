/**
 * The WhatsApp sender's daily cap of unique recipients: the Redis window itself, and a campaign that
 * meets it, once moving the refused recipients to SMS and once holding them for the next window.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsappCap, WINDOW_MS } from '../../src/delivery/whatsapp-cap.js';
import { TwilioCompatibleServer } from '../twilio-server/server.js';
import { createUserKey, resetDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';

describe('the WhatsApp window in Redis', () => {
  const redis = new Redis(process.env.REDIS_URL!);
  const cap = new WhatsappCap(redis, `{cap-${randomBytes(3).toString('hex')}}`, 3);
  afterAll(() => redis.quit());

  it('admits new recipients up to the cap, and those already in the window at no cost', async () => {
    const first = await cap.admit('whatsapp:+595210000099', ['1', '2']);
    expect([...first.admitted]).toEqual(['1', '2']);
    expect(first.freeAt).toBeNull();
    const second = await cap.admit('whatsapp:+595210000099', ['1', '3', '4', '2']);
    expect([...second.admitted].sort()).toEqual(['1', '2', '3']);
    // The refused recipient may go when the oldest place is 24 hours old.
    expect(second.freeAt!.getTime()).toBeGreaterThan(Date.now() + WINDOW_MS - 60_000);
    expect(second.freeAt!.getTime()).toBeLessThanOrEqual(Date.now() + WINDOW_MS);
  });

  it('keeps one window per sender', async () => {
    expect([...(await cap.admit('whatsapp:+595210000077', ['4'])).admitted]).toEqual(['4']);
  });
});

describe('a campaign meeting the cap', () => {
  const twilio = new TwilioCompatibleServer({ callbacks: { enabled: true, delayMs: 10 } });
  let h: Harness;
  let approverKey: string;

  beforeAll(async () => {
    await resetDatabase();
    await twilio.start();
    h = await startHarness({ twilio, env: { WHATSAPP_DAILY_RECIPIENT_CAP: '3' } });
    approverKey = await createUserKey(h.services.db.pool, 'approver');
    for (let i = 1; i <= 5; i++) {
      expect((await h.api('POST', '/v1/contacts', { phone: `0985 30000${i}`, role: 'parent', channel: 'whatsapp', name: `Familia ${i}` })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await h?.close();
    await twilio.stop();
  });

  async function runCampaign(policy: 'sms' | 'defer', settled: (report: any) => boolean) {
    const created = await h.api('POST', '/v1/campaigns', {
      name: `Tope ${policy}`,
      options: { whatsappCapPolicy: policy },
      steps: [{ sendAt: new Date(Date.now() + 1000).toISOString(), content: { es: { body: `Hola {{contact.name}} (${policy})` } } }],
    });
    expect(created.status).toBe(201);
    expect((await h.api('POST', `/v1/campaigns/${created.body.id}/approve`, undefined, approverKey)).status).toBe(200);
    return waitFor(`the ${policy} campaign`, async () => {
      const { body } = await h.api('GET', `/v1/campaigns/${created.body.id}/report`);
      return settled(body.steps[0]) && body.steps[0];
    });
  }

  it('sends the recipients beyond the cap by SMS when the campaign says so, and reports it', async () => {
    const step = await runCampaign('sms', (s) => s.queued === 0 && s.total === 5);
    expect(step.byChannel.whatsapp.total).toBe(3);
    expect(step.byChannel.sms.total).toBe(2);
    expect(step.whatsappCap).toEqual({ sms: 2 });
    const received = twilio.messages.filter((m) => String(m.params.Body).includes('(sms)'));
    expect(received.filter((m) => m.channel === 'whatsapp')).toHaveLength(3);
    expect(received.filter((m) => m.channel === 'sms')).toHaveLength(2);
  });

  it('holds the others for the next window otherwise: the three already messaged today cost nothing', async () => {
    const step = await runCampaign('defer', (s) => s.queued === 2 && s.total === 5 && s.delivered + s.read === 3);
    expect(step.whatsappCap).toEqual({ deferred: 2 });
    const { rows } = await h.services.db.pool.query<{ wait_hours: number }>(
      `SELECT extract(epoch FROM next_attempt_at - now()) / 3600 AS wait_hours FROM deliveries WHERE cap_action = 'deferred'`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(Number(row.wait_hours)).toBeGreaterThan(23.9);
    expect(twilio.messages.filter((m) => String(m.params.Body).includes('(defer)'))).toHaveLength(3);
  });

  it('rebuilds the window from the database when Redis loses it', async () => {
    await h.services.redis.flushdb();
    expect(await h.services.whatsappCap.rebuild(h.services.db.pool)).toBe(3);
    const sender = h.services.provider.senderFor('whatsapp')!;
    const { rows } = await h.services.db.pool.query<{ id: string }>(`SELECT id::text FROM contacts ORDER BY id`);
    const admission = await h.services.whatsappCap.admit(sender, rows.map((r) => r.id));
    expect(admission.admitted.size).toBe(3);
    expect(admission.freeAt).not.toBeNull();
  });
});
