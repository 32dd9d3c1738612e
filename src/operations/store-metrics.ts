/**
 * Gauges read from the shared stores at scrape time, by the API process only (see metrics.ts): how many
 * jobs each queue holds and how long its oldest waiting job has waited (Redis), and how far imports
 * have come (PostgreSQL). Each read gives up after a second, so a scrape answers during an outage
 * (the gauges are then absent, and /readyz says why).
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Queues } from '../runtime/queues.js';
import { QUEUE_NAMES } from '../runtime/queues.js';
import { scrapeGauge } from './metrics.js';
import { within } from './time-limit.js';

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

type QueueSample = { name: string; counts: Record<string, number>; oldestWaitingSeconds: number };

export function observeQueues(queues: Queues, redis: Redis): void {
  // Both gauges are filled from one read of Redis per scrape.
  let cached: { at: number; sample: Promise<QueueSample[] | undefined> } | undefined;
  const sample = () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), sample: redis.status === 'ready' ? within(1000, () => readQueues(queues)) : Promise.resolve(undefined) };
    return cached.sample;
  };
  scrapeGauge('campana_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async (gauge) => {
    for (const q of (await sample()) ?? []) for (const [state, count] of Object.entries(q.counts)) gauge.set({ queue: q.name, state }, count);
  });
  scrapeGauge('campana_queue_oldest_waiting_seconds', 'Age of the oldest job waiting for a worker, per queue (0 when none waits)', ['queue'], async (gauge) => {
    for (const q of (await sample()) ?? []) gauge.set({ queue: q.name }, q.oldestWaitingSeconds);
  });
}

async function readQueues(queues: Queues): Promise<QueueSample[]> {
  const names = Object.keys(QUEUE_NAMES) as Array<keyof typeof QUEUE_NAMES>;
  return Promise.all(
    names.map(async (name) => {
      const queue = queues[name];
      const counts = await queue.getJobCounts(...JOB_STATES);
      // The wait list is a Redis list newest first: its last entry waited longest.
      const [oldest] = await queue.getJobs(['wait'], -1, -1);
      const readySince = oldest ? oldest.timestamp + (oldest.delay ?? 0) : Date.now();
      return { name: QUEUE_NAMES[name], counts, oldestWaitingSeconds: Math.max(0, (Date.now() - readySince) / 1000) };
    }),
  );
}

export function observeImports(pool: pg.Pool): void {
  scrapeGauge('campana_imports', 'Imports by status', ['status'], async (gauge) => {
    const result = await within(1000, () => pool.query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM imports GROUP BY status'));
    for (const row of result?.rows ?? []) gauge.set({ status: row.status }, row.count);
  });
  scrapeGauge('campana_import_rows_done', 'Rows processed by each import still queued or running', ['import_id', 'kind'], async (gauge) => {
    const result = await within(1000, () =>
      pool.query<{ id: number; kind: string; rows_done: number }>(`SELECT id, kind, rows_done FROM imports WHERE status IN ('queued', 'running')`),
    );
    for (const row of result?.rows ?? []) gauge.set({ import_id: String(row.id), kind: row.kind }, row.rows_done);
  });
}
