/**
 * How runs, steps and campaigns move forward as their deliveries go out. A run is sending once its
 * audience is written, completed once no delivery of it waits for the provider; a step follows its runs,
 * and a campaign completes with its last step.
 */
import type pg from 'pg';
import { statusesAllowing } from '../campaigns/lifecycle.js';

export async function markRunSending(pool: pg.Pool, runId: number): Promise<void> {
  await pool.query(
    `WITH run AS (
       UPDATE step_runs SET status = 'sending', fanned_out_at = now() WHERE id = $1 AND status = 'fanning_out' RETURNING step_id, campaign_id
     ), step AS (
       UPDATE campaign_steps SET status = 'sending', updated_at = now() WHERE id = (SELECT step_id FROM run) AND status IN ('pending', 'scheduled')
     )
     UPDATE campaigns SET status = 'running', updated_at = now() WHERE id = (SELECT campaign_id FROM run) AND status = ANY($2::campaign_status[])`,
    [runId, statusesAllowing('start')],
  );
}

/** Completes the runs, steps and campaigns that have nothing left to hand to the provider. */
export async function completeFinishedWork(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `UPDATE step_runs r SET status = 'completed', completed_at = now()
     WHERE r.status = 'sending'
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.run_id = r.id AND d.pending)
     RETURNING r.id`,
  );
  if (rows.length === 0) return 0;
  await pool.query(
    `UPDATE campaign_steps s SET status = 'completed', updated_at = now()
     WHERE s.status = 'sending'
       AND NOT EXISTS (SELECT 1 FROM step_runs r WHERE r.step_id = s.id AND r.status <> 'completed')`,
  );
  await pool.query(
    `UPDATE campaigns c SET status = 'completed', updated_at = now()
     WHERE c.status = ANY($1::campaign_status[])
       AND NOT EXISTS (SELECT 1 FROM campaign_steps s WHERE s.campaign_id = c.id AND s.status NOT IN ('completed', 'cancelled'))`,
    [statusesAllowing('complete')],
  );
  return rows.length;
}
