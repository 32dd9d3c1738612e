/**
 * Approve, pause, resume, cancel: each one transaction that locks the campaign, moves it through the
 * state machine (lifecycle.ts), brings its runs and deliveries along and records who did it in the audit
 * log. Approval is what turns steps into scheduled runs; workers only ever look at runs.
 */
import type pg from 'pg';
import { audienceCondition, type AudienceFilter } from '../audiences/filter.js';
import { hasActed, writeAudit, type Actor } from '../audit/audit-log.js';
import { conflict, forbidden } from '../http/errors.js';
import { inTransaction } from '../runtime/database.js';
import { sql, toQuery } from '../shared/sql.js';
import type { CampaignAction, CampaignStatus } from './lifecycle.js';
import { firedRuns, lockCampaign, move, type LockedCampaign } from './locked-campaign.js';
import { ScheduleError, type CampaignSchedule } from './schedule.js';
import { storedTiming, timeStep } from './step-timing.js';
import type { TimingRules } from './timing-rules.js';

/** How late a step may be approved: a step due more than this long ago is refused, not sent at once. */
const APPROVAL_GRACE_MS = 5 * 60_000;

/** Runs whose fan-out or sending must be queued again (the caller owns the queues). */
export type RunsToQueue = { fanningOut: number[]; sending: number[] };

type PendingStep = { id: number; position: number; week: number | null; requested_send_at: Date | null; send_at: Date };

/**
 * Schedules the pending steps (all of a new campaign; the unsent ones of an edited one). Their times are
 * computed again under today's timing rules. Four eyes: whoever wrote or edited the campaign cannot
 * approve it.
 */
export async function approveCampaign(pool: pg.Pool, id: number, actor: Actor, rules: TimingRules, now = new Date()): Promise<RunsToQueue> {
  return inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    const status = move(campaign, 'approve');
    if (campaign.author_id === actor.userId || (await hasActed(client, actor.userId, 'campaign', id, ['campaign.create', 'campaign.edit']))) {
      throw forbidden('four eyes: a campaign must be approved by someone other than the people who wrote or edited it');
    }
    const { rows: steps } = await client.query<PendingStep>(
      `SELECT id, position, week, requested_send_at, send_at FROM campaign_steps WHERE campaign_id = $1 AND status = 'pending' ORDER BY position`,
      [id],
    );
    const timed = steps.map((step) => ({
      ...step,
      sendAt: timedOrConflict(step.position, () => timeStep(campaign.schedule, storedTiming({ week: step.week, requestedSendAt: step.requested_send_at, sendAt: step.send_at }), rules).sendAt),
    }));
    const late = timed.find((s) => s.sendAt.getTime() < now.getTime() - APPROVAL_GRACE_MS);
    if (late) throw conflict(`step ${late.position} was due at ${late.sendAt.toISOString()}, which has passed: change its time first`);
    const zones = campaign.schedule.recipientLocalTime ? await audienceZones(client, campaign.audience) : [];
    for (const step of timed) {
      await client.query(`UPDATE campaign_steps SET send_at = $2, status = 'scheduled', updated_at = now() WHERE id = $1`, [step.id, step.sendAt]);
      for (const run of timedOrConflict(step.position, () => runsFor(step, campaign.schedule, zones, rules))) {
        await client.query('INSERT INTO step_runs (step_id, campaign_id, timezone, due_at) VALUES ($1, $2, $3, $4)', [step.id, id, run.timezone, run.dueAt]);
      }
    }
    await client.query('UPDATE campaigns SET status = $2, approved_by_id = $3, approved_at = now(), updated_at = now() WHERE id = $1', [id, status, actor.userId]);
    const moved = Object.fromEntries(
      timed.filter((s) => s.sendAt.getTime() !== s.send_at.getTime()).map((s) => [`steps.${s.position}.sendAt`, { from: s.send_at.toISOString(), to: s.sendAt.toISOString() }]),
    );
    await writeAudit(client, actor, { action: 'campaign.approve', entityType: 'campaign', entityId: id, changes: { status: { from: campaign.status, to: status }, version: campaign.version, ...moved } });
    // An edit in the middle of a step held its sending back until this approval.
    return firedRuns(client, id);
  });
}

/**
 * A step sent at recipients' local time has one run per time zone of the audience, each due at the
 * step's local time there (timing rules applied in that zone), plus one run in the campaign's zone for
 * contacts in zones that appear later.
 */
function runsFor(step: { week: number | null; sendAt: Date }, schedule: CampaignSchedule, zones: string[], rules: TimingRules): Array<{ timezone: string | null; dueAt: Date }> {
  const runs: Array<{ timezone: string | null; dueAt: Date }> = [{ timezone: null, dueAt: step.sendAt }];
  if (step.week === null || !schedule.recipientLocalTime) return runs;
  for (const zone of zones) runs.push({ timezone: zone, dueAt: timeStep(schedule, { week: step.week }, rules, zone).sendAt });
  return runs;
}

/** A step time today's rules cannot give (they leave no time within a year) is a 409 naming the step. */
function timedOrConflict<T>(position: number, compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof ScheduleError) throw conflict(`step ${position}: ${err.message}`);
    throw err;
  }
}

async function audienceZones(client: pg.PoolClient, audience: AudienceFilter): Promise<string[]> {
  const { rows } = await client.query<{ timezone: string }>(toQuery(sql`SELECT DISTINCT c.timezone FROM contacts c WHERE ${audienceCondition(audience)}`));
  return rows.map((r) => r.timezone);
}

async function changeStatus(client: pg.PoolClient, campaign: LockedCampaign, action: CampaignAction, status: CampaignStatus, actor: Actor): Promise<void> {
  await client.query('UPDATE campaigns SET status = $2, updated_at = now() WHERE id = $1', [campaign.id, status]);
  await writeAudit(client, actor, { action: `campaign.${action}`, entityType: 'campaign', entityId: campaign.id, changes: { status: { from: campaign.status, to: status } } });
}

export async function pauseCampaign(pool: pg.Pool, id: number, actor: Actor): Promise<void> {
  await inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    await changeStatus(client, campaign, 'pause', move(campaign, 'pause'), actor);
  });
}

export async function resumeCampaign(pool: pg.Pool, id: number, actor: Actor): Promise<RunsToQueue> {
  return inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    const runs = await firedRuns(client, id);
    await changeStatus(client, campaign, 'resume', move(campaign, 'resume', { started: runs.started }), actor);
    return runs;
  });
}

export async function cancelCampaign(pool: pg.Pool, id: number, actor: Actor): Promise<void> {
  await inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    await changeStatus(client, campaign, 'cancel', move(campaign, 'cancel'), actor);
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
