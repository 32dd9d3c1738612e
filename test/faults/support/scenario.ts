/**
 * The one way every fault scenario runs: seed the audience, start the server, the API and the workers
 * as real processes, create and approve a one-step campaign, let the scenario inject its faults while
 * the step is being sent, wait until every delivery is final and every status callback applied, and
 * collect the outcome for the checks.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { sleep } from '../../../bench/support.js';
import { seedAudience } from './audience.js';
import { apiClient, campaignReport, startOneStepCampaign } from './campaign.js';
import { Deployment } from './deployment.js';
import { FAULT_RECIPIENTS, FAULTS_DATABASE_URL, FAULTS_REDIS_URL } from './environment.js';
import { collectOutcome, type ScenarioOutcome } from './outcome.js';

export type StepInProgress = {
  audience: number;
  deployment: Deployment;
  pool: pg.Pool;
  redis: Redis;
  /** Resolves once the provider has received this share of the audience's messages; returns how many. */
  reached(share: number): Promise<number>;
  /** Describes a fault injected, for the scenario's summary line. */
  note(fault: string): void;
};

export type ScenarioOptions = {
  name: string;
  workers?: number;
  /** Extra flags of the Twilio-compatible server (fault rates, duplicated and shuffled callbacks). */
  twilioArgs?: string[];
  /** Extra environment of the API and the workers. */
  env?: Record<string, string>;
  /** Injects the scenario's faults while the step is being sent. */
  during?: (step: StepInProgress) => Promise<void>;
  /** How long the step may take to settle once the faults are injected. */
  settleTimeoutMs?: number;
};

export async function runScenario(options: ScenarioOptions): Promise<ScenarioOutcome> {
  const audience = FAULT_RECIPIENTS;
  const pool = new pg.Pool({ connectionString: FAULTS_DATABASE_URL, max: 4 });
  const redis = new Redis(FAULTS_REDIS_URL);
  let deployment: Deployment | undefined;
  try {
    await seedAudience(pool, audience);
    // Only this db index: other engineers' tests and benchmarks use other indexes of the same Redis.
    await redis.flushdb();
    deployment = await Deployment.start({ workers: options.workers ?? 2, twilioArgs: options.twilioArgs ?? [], env: options.env ?? {} });
    const api = apiClient(deployment.baseUrl, deployment.adminKey);
    const campaignId = await startOneStepCampaign(api);
    const approvedAt = Date.now();
    const faults: string[] = [];
    const running = deployment;
    await options.during?.({
      audience,
      deployment: running,
      pool,
      redis,
      reached: (share) => untilReceived(running, Math.ceil(share * audience)),
      note: (fault) => faults.push(fault),
    });
    await untilSettled(pool, running, campaignId, options.settleTimeoutMs ?? 240_000);
    return await collectOutcome({
      name: options.name,
      audience,
      seconds: (Date.now() - approvedAt) / 1000,
      pool,
      twilioUrl: running.twilioUrl,
      campaignId,
      report: await campaignReport(api, campaignId),
      recovery: { ...running.recovery.tally },
      faults,
    });
  } finally {
    await deployment?.stop();
    redis.disconnect();
    await pool.end();
  }
}

async function untilReceived(deployment: Deployment, messages: number, timeoutMs = 180_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await deployment.counts();
    if (counts.messages >= messages) return counts.messages;
    if (Date.now() > deadline) throw new Error(`the provider received ${counts.messages} messages, not ${messages}, in ${timeoutMs} ms\n${deployment.output()}`);
    await sleep(50);
  }
}

/** Every delivery final (nothing pending, nothing short of a final status), every callback applied. */
async function untilSettled(pool: pg.Pool, deployment: Deployment, campaignId: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ open: number; status: string }>(
      `SELECT (SELECT count(*)::int FROM deliveries
               WHERE campaign_id = $1 AND (pending OR status NOT IN ('delivered', 'read', 'undelivered', 'failed', 'skipped', 'cancelled'))) AS open,
              (SELECT status::text FROM campaigns WHERE id = $1) AS status`,
      [campaignId],
    );
    if (rows[0]!.open === 0 && rows[0]!.status === 'completed') break;
    if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs} ms: ${JSON.stringify(await openDeliveries(pool, campaignId))}\n${deployment.output()}`);
    await sleep(500);
  }
  // Final statuses can still be overtaken by nothing, but duplicated callbacks may be in flight: wait for them.
  const settled = await fetch(`${deployment.twilioUrl}/_control/callbacks-settled?timeoutMs=60000`);
  if (!settled.ok) throw new Error(`status callbacks not settled: ${await settled.text()}`);
}

async function openDeliveries(pool: pg.Pool, campaignId: number): Promise<unknown> {
  const { rows } = await pool.query(
    `SELECT status, pending, claimed_until IS NOT NULL AS claimed, count(*)::int AS n FROM deliveries WHERE campaign_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [campaignId],
  );
  return rows;
}
