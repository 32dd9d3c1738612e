/**
 * A campaign locked for a change (SELECT … FOR UPDATE) and moved through the state machine: the start of
 * every transaction that changes a campaign, so that two changes never interleave.
 */
import type pg from 'pg';
import type { AudienceFilter } from '../audiences/filter.js';
import { conflict, notFound } from '../http/errors.js';
import { transition, TransitionError, type CampaignAction, type CampaignStatus } from './lifecycle.js';
import type { CampaignOptions } from './model.js';
import type { CampaignSchedule } from './schedule.js';

export type LockedCampaign = {
  id: number;
  name: string;
  status: CampaignStatus;
  audience: AudienceFilter;
  segment_id: number | null;
  schedule: CampaignSchedule;
  options: CampaignOptions;
  author_id: number | null;
  version: number;
};

export async function lockCampaign(client: pg.PoolClient, id: number): Promise<LockedCampaign> {
  const { rows } = await client.query<LockedCampaign>(
    'SELECT id, name, status, audience, segment_id, schedule, options, author_id, version FROM campaigns WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (!rows[0]) throw notFound(`campaign ${id}`);
  return rows[0];
}

/** The status the action leads to; 409 when the state machine has no such arrow. */
export function move(campaign: LockedCampaign, action: CampaignAction, options?: { started?: boolean }): CampaignStatus {
  try {
    return transition(campaign.status, action, options);
  } catch (err) {
    if (err instanceof TransitionError) throw conflict(err.message);
    throw err;
  }
}

/**
 * Runs caught mid-way by a pause or an edit, whose fan-out or sending must be queued again, and whether
 * any run of the campaign has fired at all (then resuming leads back to running).
 */
export async function firedRuns(client: pg.PoolClient, campaignId: number): Promise<{ fanningOut: number[]; sending: number[]; started: boolean }> {
  const { rows } = await client.query<{ id: number; status: string }>(
    `SELECT id, status FROM step_runs WHERE campaign_id = $1 AND status IN ('fanning_out', 'sending', 'completed')`,
    [campaignId],
  );
  return {
    fanningOut: rows.filter((r) => r.status === 'fanning_out').map((r) => r.id),
    sending: rows.filter((r) => r.status === 'sending').map((r) => r.id),
    started: rows.length > 0,
  };
}
