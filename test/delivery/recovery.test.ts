/**
 * Resolving sends that got no answer, against the Twilio-compatible server through the real provider:
 * a message the provider has is recorded, not resent; one it lacks goes back to the send queue, or fails
 * after the last attempt; when the provider cannot be asked nothing is decided; and a writer whose claim
 * was taken over changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResults } from '../../src/delivery/delivery-writes.js';
import { recoveryDepsOf, resolveInterruptedSends } from '../../src/delivery/recovery.js';
import { TwilioCompatibleServer } from '../twilio-server/server.js';
import { resetDatabase, startHarness, TEST_SMS_FROM, type Harness } from '../support/harness.js';

type Row = { status: string; pending: boolean; provider_sid: string | null; claimed: 'none' | 'expired' | 'held'; error_message: string | null };

describe('resolving interrupted sends', () => {
  const twilio = new TwilioCompatibleServer({ callbacks: { enabled: false } });
  let h: Harness;
  const ids: Record<'found' | 'missing' | 'lastAttempt' | 'unreachable', string> = { found: '', missing: '', lastAttempt: '', unreachable: '' };

  const row = async (id: string) =>
    (
      await h.services.db.pool.query<Row>(
        `SELECT status::text, pending, provider_sid, error_message,
                CASE WHEN claimed_until IS NULL THEN 'none' WHEN claimed_until <= now() THEN 'expired' ELSE 'held' END AS claimed
         FROM deliveries WHERE id = $1`,
        [id],
      )
    ).rows[0]!;

  beforeAll(async () => {
    await resetDatabase();
    await twilio.start();
    h = await startHarness({ twilio, workers: false });
    const pool = h.services.db.pool;
    const { rows: [run] } = await pool.query<{ campaign_id: number; step_id: number; id: number }>(
      `WITH c AS (INSERT INTO campaigns (name, status, audience, schedule) VALUES ('Recovery', 'running', '{}', '{}') RETURNING id),
            s AS (INSERT INTO campaign_steps (campaign_id, position, send_at, content, status) SELECT id, 1, now(), '{}', 'sending' FROM c RETURNING id, campaign_id)
       INSERT INTO step_runs (step_id, campaign_id, due_at, status) SELECT id, campaign_id, now(), 'sending' FROM s RETURNING id, step_id, campaign_id`,
    );
    // Four sends whose worker got no answer: their claims expired a moment ago.
    for (const [name, phone, attempts] of [['found', '+595981400001', 2], ['missing', '+595981400002', 2], ['lastAttempt', '+595981400003', 5], ['unreachable', '+595981400004', 2]] as const) {
      const { rows: [d] } = await pool.query<{ id: string }>(
        `WITH c AS (INSERT INTO contacts (phone, name, role, language, channel) VALUES ($1, 'Familia', 'parent', 'es', 'sms') RETURNING id)
         INSERT INTO deliveries (campaign_id, step_id, run_id, contact_id, channel, language, status, pending, sender, body, attempts, attempted_at, claimed_until, attempt_log)
         SELECT $2, $3, $4, c.id, 'sms', 'es', 'queued', true, $5, 'Hola ' || $1, $6, now() - interval '2 minutes', now() - interval '1 second', '[]' FROM c
         RETURNING id::text`,
        [phone, run!.campaign_id, run!.step_id, run!.id, TEST_SMS_FROM, attempts],
      );
      ids[name] = d!.id;
    }
    // The provider did accept the first one before its answer was lost.
    await h.services.provider.send({ channel: 'sms', to: '+595981400001', body: 'Hola +595981400001', statusCallback: `${h.baseUrl}/webhooks/twilio/status` });
    // The last one is left for when the provider cannot be reached.
    await pool.query(`UPDATE deliveries SET claimed_until = now() + interval '1 hour' WHERE id = $1`, [ids.unreachable]);
  });
  afterAll(async () => {
    await h?.close();
    await twilio.stop().catch(() => undefined);
  });

  it('records what the provider has, requeues what it lacks, and fails it after the last attempt', async () => {
    const report = await resolveInterruptedSends(recoveryDepsOf(h.services));
    expect(report).toMatchObject({ examined: 3, foundAtProvider: 1, released: 1, failed: 1, undecided: 0 });
    expect(await row(ids.found)).toMatchObject({ pending: false, provider_sid: twilio.messages[0]!.sid, claimed: 'none' });
    expect(await row(ids.missing)).toMatchObject({ status: 'queued', pending: true, provider_sid: null, claimed: 'none' });
    expect(await h.services.queues.send.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    expect(await row(ids.lastAttempt)).toMatchObject({ status: 'failed', pending: false, error_message: 'no answer from the provider after the last attempt' });
    expect(twilio.messages).toHaveLength(1);
  });

  it('ignores a result written under a claim that is no longer held', async () => {
    await recordResults(h.services.db.pool, [{ id: ids.missing, outcome: 'failed', errorMessage: 'late writer' }], '2026-01-01 00:00:00+00');
    expect(await row(ids.missing)).toMatchObject({ status: 'queued', pending: true, error_message: null });
  });

  it('decides nothing while the provider cannot be asked, and looks again at the next round', async () => {
    await h.services.db.pool.query(`UPDATE deliveries SET claimed_until = now() - interval '1 second' WHERE id = $1`, [ids.unreachable]);
    await twilio.stop();
    const report = await resolveInterruptedSends(recoveryDepsOf(h.services));
    expect(report).toMatchObject({ examined: 1, foundAtProvider: 0, released: 0, failed: 0, undecided: 1 });
    expect(await row(ids.unreachable)).toMatchObject({ status: 'queued', pending: true, claimed: 'expired' });
  });
});
