/**
 * Approve, pause, resume, cancel: each one transaction that locks the campaign, moves it through the
 * state machine (lifecycle.ts) and brings its runs and deliveries along. Approval is what turns steps
 * into scheduled runs; workers only ever look at runs.
 */
import type pg from 'pg';
import { audienceCondition, type AudienceFilter } from '../audiences/filter.js';
import { inTransaction } from '../runtime/database.js';
import { conflict, notFound } from '../http/errors.js';
import { sql, toQuery } from '../shared/sql.js';
import { transition, TransitionError, type CampaignAction, type CampaignStatus } from './lifecycle.js';
import { instantAt, stepLocalTime, type CampaignSchedule } from './schedule.js';

/** How late a step may be approved: a step due more than this long ago is refused, not sent at once. */
const APPROVAL_GRACE_MS = 5 * 60_000;

type LockedCampaign = { id: number; status: CampaignStatus; audience: AudienceFilter; schedule: CampaignSchedule; author_id: number | null };

async function lockCampaign(client: pg.PoolClient, id: number): Promise<LockedCampaign> {
  const { rows } = await client.query<LockedCampaign>('SELECT id, status, audience, schedule, author_id FROM campaigns WHERE id = $1 FOR UPDATE', [id]);
  if (!rows[0]) throw notFound(`campaign ${id}`);
  return rows[0];
}

function move(campaign: LockedCampaign, action: CampaignAction, options?: { started?: boolean }): CampaignStatus {
  try {
    return transition(campaign.status, action, options);
  } catch (err) {
    if (err instanceof TransitionError) throw conflict(err.message);
    throw err;
  }
}

export async function approveCampaign(pool: pg.Pool, id: number, approverId: number, now = new Date()): Promise<void> {
  await inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    const status = move(campaign, 'approve');
    const { rows: steps } = await client.query<{ id: number; position: number; week: number | null; send_at: Date }>(
      `SELECT id, position, week, send_at FROM campaign_steps WHERE campaign_id = $1 AND status = 'pending' ORDER BY position`,
      [id],
    );
    const late = steps.find((s) => s.send_at.getTime() < now.getTime() - APPROVAL_GRACE_MS);
    if (late) throw conflict(`step ${late.position} was due at ${late.send_at.toISOString()}, which has passed: change its time first`);
    const zones = campaign.schedule.recipientLocalTime ? await audienceZones(client, campaign.audience) : [];
    for (const step of steps) {
      for (const run of runsFor(step, campaign.schedule, zones)) {
        await client.query('INSERT INTO step_runs (step_id, campaign_id, timezone, due_at) VALUES ($1, $2, $3, $4)', [step.id, id, run.timezone, run.dueAt]);
      }
    }
    await client.query(`UPDATE campaign_steps SET status = 'scheduled', updated_at = now() WHERE campaign_id = $1 AND status = 'pending'`, [id]);
    await client.query('UPDATE campaigns SET status = $2, approved_by_id = $3, approved_at = now(), updated_at = now() WHERE id = $1', [id, status, approverId]);
  });
}

/**
 * A step sent at recipients' local time has one run per time zone of the audience, each due at the
 * step's local time there, plus one run in the campaign's zone for contacts in zones that appear later.
 */
function runsFor(step: { week: number | null; send_at: Date }, schedule: CampaignSchedule, zones: string[]): Array<{ timezone: string | null; dueAt: Date }> {
  const runs: Array<{ timezone: string | null; dueAt: Date }> = [{ timezone: null, dueAt: step.send_at }];
  if (step.week === null || !schedule.recipientLocalTime) return runs;
  const local = stepLocalTime(schedule, step.week);
  for (const zone of zones) runs.push({ timezone: zone, dueAt: instantAt(local.date, local.time, zone) });
  return runs;
}

async function audienceZones(client: pg.PoolClient, audience: AudienceFilter): Promise<string[]> {
  const { rows } = await client.query<{ timezone: string }>(toQuery(sql`SELECT DISTINCT c.timezone FROM contacts c WHERE ${audienceCondition(audience)}`));
  return rows.map((r) => r.timezone);
}

export async function pauseCampaign(pool: pg.Pool, id: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    await client.query('UPDATE campaigns SET status = $2, updated_at = now() WHERE id = $1', [id, move(campaign, 'pause')]);
  });
}

/** Returns the runs whose sending must be queued again (the caller owns the queues). */
export async function resumeCampaign(pool: pg.Pool, id: number): Promise<{ fanningOut: number[]; sending: number[] }> {
  return inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    const { rows } = await client.query<{ id: number; status: string }>(`SELECT id, status FROM step_runs WHERE campaign_id = $1 AND status IN ('fanning_out', 'sending', 'completed')`, [id]);
    const status = move(campaign, 'resume', { started: rows.length > 0 });
    await client.query('UPDATE campaigns SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
    return {
      fanningOut: rows.filter((r) => r.status === 'fanning_out').map((r) => r.id),
      sending: rows.filter((r) => r.status === 'sending').map((r) => r.id),
    };
  });
}

export async function cancelCampaign(pool: pg.Pool, id: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    await client.query('UPDATE campaigns SET status = $2, updated_at = now() WHERE id = $1', [id, move(campaign, 'cancel')]);
    await client.query(`UPDATE step_runs SET status = 'cancelled' WHERE campaign_id = $1 AND status IN ('scheduled', 'fanning_out', 'sending')`, [id]);
    await client.query(`UPDATE campaign_steps SET status = 'cancelled', updated_at = now() WHERE campaign_id = $1 AND status IN ('pending', 'scheduled', 'sending')`, [id]);
    // Messages in flight finish; those still waiting in our queue are never sent.
    await client.query(
      `UPDATE deliveries SET status = 'cancelled', pending = false,
              attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('event', 'cancelled', 'at', now()))
       WHERE run_id IN (SELECT id FROM step_runs WHERE campaign_id = $1) AND pending AND claimed_until IS NULL`,
      [id],
    );
  });
}
