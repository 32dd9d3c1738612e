/**
 * Putting the queue back in line with the database after anything went wrong. PostgreSQL is the truth;
 * BullMQ jobs are rebuilt from it.
 *
 * - Interrupted sends: a claim that expired without an answer recorded (a worker killed mid-send, or
 *   no answer from the provider) is ambiguous: Twilio's Messages API has no idempotency key. We ask the
 *   provider for messages to that recipient since the attempt; a match is recorded as accepted, no
 *   match is released for a resend.
 * - Lost Redis data: a marker key disappears with the data; whoever notices first re-queues every
 *   fan-out in progress and every delivery waiting to be sent.
 * - Lost jobs of any other origin: when the send queue is empty but deliveries wait, they are re-queued.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from '../runtime/logger.js';
import type { Services } from '../runtime/services.js';
import type { FanoutJob } from '../runtime/queues.js';
import type { MessageProvider, Channel } from '../providers/provider.js';
import { requeueFanouts } from '../scheduling/fire-due-runs.js';
import { statusesAllowing } from '../campaigns/lifecycle.js';
import { recordResults, type SendResult } from './delivery-writes.js';
import { MAX_SEND_ATTEMPTS } from './provider-errors.js';
import { enqueueRunDeliveries, type SendQueue } from './send-queue.js';
import type { WhatsappCap } from './whatsapp-cap.js';

export type RecoveryDeps = {
  pool: pg.Pool;
  redis: Redis;
  prefix: string;
  provider: MessageProvider;
  sendQueue: SendQueue;
  fanoutQueue: Queue<FanoutJob>;
  batchSize: number;
  logger: Logger;
  whatsappCap: WhatsappCap;
};

/** What recovery needs, taken from a process's services. */
export function recoveryDepsOf(services: Services): RecoveryDeps {
  return {
    pool: services.db.pool,
    redis: services.redis,
    prefix: services.config.queuePrefix,
    provider: services.provider,
    sendQueue: services.queues.send,
    fanoutQueue: services.queues.fanout,
    batchSize: services.config.workers.sendBatchSize,
    logger: services.logger,
    whatsappCap: services.whatsappCap,
  };
}

export type AmbiguityReport = { examined: number; foundAtProvider: number; released: number; failed: number; undecided: number };

type Interrupted = { id: string; run_id: number; channel: Channel; phone: string | null; body: string | null; attempts: number; attempted_at: Date; lease: string };

/** How long recovery owns the deliveries it examines; it decides within half of it or leaves them. */
const RECOVERY_LEASE_MS = 120_000;
/** Lookups at the provider at once: a slow or failing provider does not hold up the others. */
const LOOKUPS_AT_ONCE = 8;

export async function resolveInterruptedSends(deps: RecoveryDeps, limit = 200): Promise<AmbiguityReport> {
  // Taking a fresh claim first: two recovering workers never examine the same delivery. The claim's
  // exact timestamp (as text, to the microsecond) is the lease every write below is conditional on.
  const { rows } = await deps.pool.query<Interrupted>(
    `UPDATE deliveries d SET claimed_until = now() + make_interval(secs => $2::double precision / 1000)
     FROM contacts c
     WHERE c.id = d.contact_id AND d.id IN (
       SELECT id FROM deliveries
       WHERE claimed_until < now() AND pending
       ORDER BY claimed_until LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING d.id::text, d.run_id, d.channel, c.phone, d.body, d.attempts, d.attempted_at, d.claimed_until::text AS lease`,
    [limit, RECOVERY_LEASE_MS],
  );
  const report: AmbiguityReport = { examined: rows.length, foundAtProvider: 0, released: 0, failed: 0, undecided: 0 };
  if (rows.length === 0) return report;

  const deadline = Date.now() + RECOVERY_LEASE_MS / 2;
  const matches = await lookUpAll(rows, deadline, (row) => (row.phone ? findPriorSend(deps.provider, row) : Promise.resolve(undefined)));
  const results: SendResult[] = [];
  const release: Interrupted[] = [];
  const undecided: Interrupted[] = [];
  rows.forEach((row, i) => {
    const match = matches[i];
    if (match === LOOKUP_FAILED) {
      undecided.push(row);
    } else if (match) {
      results.push({ id: row.id, outcome: 'accepted', sid: match });
      report.foundAtProvider++;
    } else if (row.attempts >= MAX_SEND_ATTEMPTS) {
      results.push({ id: row.id, outcome: 'failed', errorMessage: 'no answer from the provider after the last attempt' });
      report.failed++;
    } else {
      release.push(row);
      report.released++;
    }
  });
  report.undecided = undecided.length;
  const lease = rows[0]!.lease;
  await recordResults(deps.pool, results, lease);
  // Undecided ones are examined again at the next round; released ones go back to the send queue.
  await returnClaims(deps.pool, undecided, lease, 'now()');
  const released = await returnClaims(deps.pool, release, lease, 'NULL');
  for (const runId of new Set(released.map((r) => r.run_id))) {
    await enqueueRunDeliveries(deps.pool, deps.sendQueue, runId, deps.batchSize);
  }
  deps.logger.info(report, 'resolved interrupted sends');
  return report;
}

/**
 * Rounds of resolveInterruptedSends while they come back full, for up to `budgetMs`: after a burst of
 * timeouts thousands of sends may wait, and one round of 200 every few seconds would leave them waiting
 * for minutes.
 */
export async function resolveInterruptedSendsFor(deps: RecoveryDeps, budgetMs: number, limit = 200): Promise<AmbiguityReport> {
  const total: AmbiguityReport = { examined: 0, foundAtProvider: 0, released: 0, failed: 0, undecided: 0 };
  const until = Date.now() + budgetMs;
  for (;;) {
    const round = await resolveInterruptedSends(deps, limit);
    for (const key of Object.keys(total) as Array<keyof AmbiguityReport>) total[key] += round[key];
    // A round that could not decide everything waits for the next turn rather than asking again at once.
    if (round.examined < limit || round.undecided > 0 || Date.now() >= until) return total;
  }
}

const LOOKUP_FAILED = Symbol('lookup failed');

/** Each row's lookup, a few at a time; one that fails or would start past the deadline is LOOKUP_FAILED. */
async function lookUpAll<T, R>(rows: T[], deadline: number, lookUp: (row: T) => Promise<R>): Promise<Array<R | typeof LOOKUP_FAILED>> {
  const outcomes: Array<R | typeof LOOKUP_FAILED> = new Array(rows.length).fill(LOOKUP_FAILED);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < rows.length && Date.now() < deadline; i = next++) {
      outcomes[i] = await lookUp(rows[i]!).catch(() => LOOKUP_FAILED);
    }
  };
  await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, lane));
  return outcomes;
}

/** Ends recovery's claim on rows it still holds (none that anyone else took meanwhile); returns those. */
async function returnClaims(pool: pg.Pool, rows: Interrupted[], lease: string, claimedUntil: 'now()' | 'NULL'): Promise<Interrupted[]> {
  if (rows.length === 0) return [];
  const { rows: returned } = await pool.query<{ id: string }>(
    `UPDATE deliveries SET claimed_until = ${claimedUntil} WHERE id = ANY($1::bigint[]) AND claimed_until = $2::timestamptz RETURNING id::text`,
    [rows.map((r) => r.id), lease],
  );
  const ids = new Set(returned.map((r) => r.id));
  return rows.filter((r) => ids.has(r.id));
}

async function findPriorSend(provider: MessageProvider, row: Interrupted): Promise<string | undefined> {
  const sent = await provider.findSent(row.channel, row.phone!, new Date(row.attempted_at.getTime() - 5_000));
  // Same recipient, after our attempt, same text (templates have no text of ours to compare: any match).
  return sent.find((m) => row.body === null || m.body === null || m.body === row.body)?.sid;
}

/** True when Redis had lost its data (or is new); the caller then rebuilds the queues. */
export async function redisWasReset(redis: Redis, prefix: string): Promise<boolean> {
  return (await redis.set(`${prefix}:alive`, String(Date.now()), 'NX')) === 'OK';
}

export async function rebuildQueues(deps: RecoveryDeps): Promise<{ fanouts: number; deliveries: number; whatsappWindow: number }> {
  // The WhatsApp window first: sends resume as soon as their jobs are back.
  const whatsappWindow = await deps.whatsappCap.rebuild(deps.pool);
  const fanouts = await requeueFanouts(deps.pool, deps.fanoutQueue);
  const deliveries = await requeueSendingRuns(deps);
  deps.logger.warn({ fanouts, deliveries, whatsappWindow }, 'rebuilt queues from the database');
  return { fanouts, deliveries, whatsappWindow };
}

async function requeueSendingRuns(deps: RecoveryDeps): Promise<number> {
  const { rows } = await deps.pool.query<{ id: number }>(
    `SELECT r.id FROM step_runs r JOIN campaigns c ON c.id = r.campaign_id
     WHERE r.status = 'sending' AND c.status = ANY($1::campaign_status[])`,
    [statusesAllowing('send')],
  );
  let queued = 0;
  for (const run of rows) queued += await enqueueRunDeliveries(deps.pool, deps.sendQueue, run.id, deps.batchSize);
  return queued;
}

/** Re-queues waiting deliveries when the send queue holds no job at all: their jobs were lost. */
export async function requeueOrphans(deps: RecoveryDeps): Promise<number> {
  const counts = await deps.sendQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  if (Object.values(counts).some((n) => n > 0)) return 0;
  return requeueSendingRuns(deps);
}
