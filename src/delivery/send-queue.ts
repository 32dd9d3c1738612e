/**
 * Turning queued deliveries into send jobs. Jobs are only a schedule of work: the deliveries table is the
 * truth, and a worker claims each delivery in the database before sending it, so a job queued twice (a
 * rebuilt queue, a rerun fan-out) sends nothing twice.
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { SendJob } from '../runtime/queues.js';
import { createSmsFallbacks } from './delivery-writes.js';

export type SendQueue = Queue<SendJob>;

export async function enqueueSendBatches(queue: SendQueue, runId: number, deliveryIds: string[], batchSize: number, requestId?: string, delayMs = 0): Promise<void> {
  const jobs = [];
  for (let i = 0; i < deliveryIds.length; i += batchSize) {
    const ids = deliveryIds.slice(i, i + batchSize);
    jobs.push({
      name: 'send',
      data: { runId, deliveryIds: ids, ...(requestId ? { requestId } : {}) },
      // No custom job id: a finished job kept for the dashboard would make BullMQ ignore a later job with
      // the same id (after a resume, say), stranding its deliveries. Duplicates are harmless instead.
      opts: delayMs > 0 ? { delay: delayMs } : {},
    });
  }
  if (jobs.length) await queue.addBulk(jobs);
}

/**
 * Queues every delivery of a run that waits to be sent and is owned by no worker: after a crash of the
 * fan-out, after Redis lost its data, after a resume. Deliveries waiting for a retry are queued with the
 * delay they still have to wait.
 */
export async function enqueueRunDeliveries(pool: pg.Pool, queue: SendQueue, runId: number, batchSize: number, requestId?: string): Promise<number> {
  const { rows } = await pool.query<{ wait_ms: number; ids: string[] }>(
    `SELECT wait_ms, array_agg(id::text ORDER BY id) AS ids
     FROM (SELECT id, GREATEST(0, ceil(extract(epoch FROM (next_attempt_at - now())) * 1000))::int AS wait_ms
           FROM deliveries
           WHERE run_id = $1 AND pending AND claimed_until IS NULL) due
     GROUP BY wait_ms`,
    [runId],
  );
  let queued = 0;
  for (const group of rows) {
    await enqueueSendBatches(queue, runId, group.ids, batchSize, requestId, group.wait_ms);
    queued += group.ids.length;
  }
  return queued;
}

/** Writes and queues the SMS replacements of WhatsApp deliveries that failed in a way SMS can get around. */
export async function queueSmsFallbacks(pool: pg.Pool, queue: SendQueue, failedWhatsappIds: string[], requestId?: string): Promise<number> {
  const fallbacks = await createSmsFallbacks(pool, failedWhatsappIds);
  const byRun = new Map<number, string[]>();
  for (const f of fallbacks) byRun.set(f.run_id, [...(byRun.get(f.run_id) ?? []), f.id]);
  for (const [runId, ids] of byRun) await enqueueSendBatches(queue, runId, ids, 100, requestId);
  return fallbacks.length;
}
