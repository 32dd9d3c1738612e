/**
 * Every BullMQ queue, its job payload and its worker settings, declared once.
 * The names are Redis keys: renaming one strands the jobs already in it.
 * All queues share one prefix that is a Redis Cluster hash tag, so each queue's keys land in one slot.
 */
import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import type { Logger } from './logger.js';

export const QUEUE_NAMES = {
  fanout: 'fanout',
  send: 'send',
  imports: 'imports',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Resolve a step run's audience and write its deliveries. */
export type FanoutJob = { runId: number; requestId?: string };
/** Send these deliveries (ids as strings: they are bigints) of one run. */
export type SendJob = { runId: number; deliveryIds: string[]; requestId?: string };
/** Parse an uploaded CSV file stored in import_chunks. */
export type ImportJob = { importId: number; requestId?: string };

export type JobPayloads = { fanout: FanoutJob; send: SendJob; imports: ImportJob };

// PostgreSQL holds the truth (delivery states, run cursors), so finished jobs need not be kept;
// a few are kept for the dashboard. Retries of *messages* are ours (per delivery, with backoff), a job
// retry only covers the job crashing.
const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
};

export type Queues = { [K in keyof JobPayloads]: Queue<JobPayloads[K]> } & { close(): Promise<void> };

export function createQueues(connection: ConnectionOptions, prefix: string, logger: Logger): Queues {
  const make = <K extends keyof JobPayloads>(name: K) => {
    const queue = new Queue<JobPayloads[K]>(QUEUE_NAMES[name], { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // Without a listener BullMQ prints raw stack traces while Redis is down; /readyz reports the outage.
    queue.on('error', (err) => logger.debug({ queue: name, err: err.message }, 'queue error'));
    return queue;
  };
  const queues = { fanout: make('fanout'), send: make('send'), imports: make('imports') };
  return {
    ...queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/** Worker settings per queue; concurrency of `send` comes from configuration. */
export const WORKER_SETTINGS = {
  fanout: { concurrency: 2, lockDuration: 60_000 },
  send: { lockDuration: 60_000 },
  imports: { concurrency: 1, lockDuration: 120_000 },
} as const;
