/**
 * The schedule lives in PostgreSQL: a run is due when its time has come and its campaign may send.
 * Every worker process polls; SKIP LOCKED hands each due run to exactly one of them, which marks it
 * fanning out and queues its fan-out. A run marked but never queued (a crash in between, Redis lost)
 * is queued again by `requeueFanouts`.
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { FanoutJob } from '../runtime/queues.js';
import { statusesAllowing } from '../campaigns/lifecycle.js';

export async function fireDueRuns(pool: pg.Pool, fanoutQueue: Queue<FanoutJob>): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(
    `UPDATE step_runs r SET status = 'fanning_out', fired_at = now()
     WHERE r.id IN (
       SELECT r2.id FROM step_runs r2 JOIN campaigns c ON c.id = r2.campaign_id
       WHERE r2.status = 'scheduled' AND r2.due_at <= now() AND c.status = ANY($1::campaign_status[])
       ORDER BY r2.due_at
       LIMIT 100
       FOR UPDATE OF r2 SKIP LOCKED)
     RETURNING r.id`,
    [statusesAllowing('send')],
  );
  await queueFanouts(fanoutQueue, rows.map((r) => r.id));
  return rows.map((r) => r.id);
}

/** Queues a fan-out for every run left fanning out; a fan-out already waiting is not queued twice. */
export async function requeueFanouts(pool: pg.Pool, fanoutQueue: Queue<FanoutJob>): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM step_runs WHERE status = 'fanning_out'`);
  await queueFanouts(fanoutQueue, rows.map((r) => r.id));
  return rows.length;
}

async function queueFanouts(fanoutQueue: Queue<FanoutJob>, runIds: number[]): Promise<void> {
  if (runIds.length === 0) return;
  await fanoutQueue.addBulk(
    runIds.map((runId) => ({
      name: 'fanout',
      data: { runId },
      // Finished fan-out jobs are removed, so the id only collapses duplicates while one is pending.
      opts: { jobId: `run-${runId}`, removeOnComplete: true, removeOnFail: true },
    })),
  );
}
