/**
 * The retention duty: message bodies older than RETENTION_DAYS go, everything else stays; deliveries
 * still waiting for the provider keep their body; each run purges at most a batch.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredMessageBodies } from '../../src/operations/retention.js';
import { resetDatabase } from '../support/harness.js';

const DELIVERIES = [
  { ageDays: 200, status: 'delivered', purged: true },
  { ageDays: 181, status: 'failed', purged: true },
  { ageDays: 181, status: 'skipped', purged: true },
  { ageDays: 200, status: 'queued', purged: false },
  { ageDays: 200, status: 'sending', purged: false },
  { ageDays: 179, status: 'read', purged: false },
  { ageDays: 1, status: 'sent', purged: false },
];
const REPLIES = [
  { ageDays: 365, purged: true },
  { ageDays: 10, purged: false },
];

describe('purging message bodies after the retention period', () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

  beforeAll(async () => {
    await resetDatabase();
    await pool.query(`
      WITH c AS (INSERT INTO campaigns (name, audience, schedule) VALUES ('old', '{}', '{}') RETURNING id),
           s AS (INSERT INTO campaign_steps (campaign_id, position, send_at, content) SELECT id, 1, now(), '{}' FROM c RETURNING id, campaign_id)
      INSERT INTO step_runs (step_id, campaign_id, due_at) SELECT id, campaign_id, now() FROM s`);
    for (const [i, d] of DELIVERIES.entries()) {
      await pool.query(`INSERT INTO contacts (id, phone, role, language, channel) VALUES ($1, $2, 'parent', 'es', 'sms')`, [i + 1, `+59598190000${i}`]);
      await pool.query(
        `INSERT INTO deliveries (campaign_id, step_id, run_id, contact_id, channel, language, status, body, created_at)
         SELECT r.campaign_id, r.step_id, r.id, $1, 'sms', 'es', $2, $3, now() - make_interval(days => $4) FROM step_runs r`,
        [i + 1, d.status, `delivery ${i}`, d.ageDays],
      );
    }
    for (const [i, r] of REPLIES.entries()) {
      await pool.query(`INSERT INTO inbound_messages (provider_sid, channel, body, action, received_at) VALUES ($1, 'sms', $2, 'none', now() - make_interval(days => $3))`, [`SM${String(i).padStart(32, '0')}`, `reply ${i}`, r.ageDays]);
    }
  });
  afterAll(async () => pool.end());

  it('purges at most a batch per table and run', async () => {
    expect(await purgeExpiredMessageBodies(pool, 180, 1)).toEqual({ deliveries: 1, replies: 1 });
  });

  it('purges the rest on the next run, then nothing', async () => {
    expect(await purgeExpiredMessageBodies(pool, 180)).toEqual({ deliveries: 2, replies: 0 });
    expect(await purgeExpiredMessageBodies(pool, 180)).toEqual({ deliveries: 0, replies: 0 });
  });

  it.each(DELIVERIES.map((d, i) => ({ ...d, body: `delivery ${i}` })))('a $status delivery $ageDays days old is purged: $purged', async ({ body, purged }) => {
    const { rows } = await pool.query<{ body: string | null; status: string }>('SELECT body, status FROM deliveries WHERE contact_id = $1', [Number(body.split(' ')[1]) + 1]);
    expect(rows[0]!.body).toBe(purged ? null : body);
  });

  it.each(REPLIES.map((r, i) => ({ ...r, sid: `SM${String(i).padStart(32, '0')}` })))('a reply $ageDays days old is purged: $purged', async ({ sid, purged }) => {
    const { rows } = await pool.query<{ body: string | null; action: string }>('SELECT body, action FROM inbound_messages WHERE provider_sid = $1', [sid]);
    expect(rows[0]).toEqual({ body: purged ? null : expect.any(String), action: 'none' });
  });
});
