/**
 * Fanning a step run out, read top to bottom:
 *   1. load the run; stop unless it is fanning out and its campaign may send;
 *   2. queue send jobs for deliveries an interrupted earlier attempt already wrote;
 *   3. from the run's cursor on, take the next chunk of the audience (ordered by contact id), write one
 *      delivery per contact set-based (opted-out contacts as skipped), move the cursor, commit;
 *   4. queue the chunk's queued deliveries as send jobs of SEND_BATCH_SIZE (while the next chunk is written);
 *   5. when the audience is exhausted, mark the run sending (and the step and campaign with it).
 * Each (step, contact) is written at most once (unique index, ON CONFLICT DO NOTHING), whatever crashes
 * and reruns happen; memory holds one chunk at a time whatever the audience size.
 */
import type pg from 'pg';
import { publishStep } from '../archive/publish.js';
import { audienceCondition, type AudienceFilter } from '../audiences/filter.js';
import type { CampaignOptions, StepContent } from '../campaigns/model.js';
import { isSending, type CampaignStatus } from '../campaigns/lifecycle.js';
import { inTransaction } from '../runtime/database.js';
import { join, sql, toQuery, type Sql } from '../shared/sql.js';
import { enqueueRunDeliveries, enqueueSendBatches, type SendQueue } from './send-queue.js';
import { markRunSending } from './run-progress.js';

export type FanoutDeps = {
  pool: pg.Pool;
  sendQueue: SendQueue;
  chunkSize: number;
  batchSize: number;
  whatsappAvailable: boolean;
};

type RunToFan = {
  id: number;
  step_id: number;
  campaign_id: number;
  timezone: string | null;
  status: string;
  cursor: number;
  campaign_status: CampaignStatus;
  audience: AudienceFilter;
  segment_filter: AudienceFilter | null;
  options: Partial<CampaignOptions>;
  content: StepContent;
  other_zones: string[] | null;
};

export async function fanOutRun(deps: FanoutDeps, runId: number, requestId?: string): Promise<{ targeted: number }> {
  const run = await loadRun(deps.pool, runId);
  if (!run || run.status !== 'fanning_out' || !isSending(run.campaign_status)) return { targeted: 0 };
  // Official before the first message leaves: its archive code goes into the verification line.
  await publishStep(deps.pool, run.step_id);

  await enqueueRunDeliveries(deps.pool, deps.sendQueue, runId, deps.batchSize, requestId);

  const audience = audienceForRun(run);
  const languages = Object.keys(run.content);
  const fallbackLanguage = run.options.fallbackLanguage ?? 'es';
  let cursor = run.cursor;
  let targeted = 0;
  // A chunk's jobs are queued while the next chunk is written: the two round trips overlap instead of
  // taking turns on an event loop busy with sending. Never more than one chunk waits to be queued.
  let queuing: Promise<void> = Promise.resolve();
  for (;;) {
    const chunk = await inTransaction(deps.pool, async (client) => {
      const { rows } = await client.query<{ last_contact: number | null; picked: number; queued: string[] | null }>(
        toQuery(sql`
          WITH picked AS (
            SELECT c.id, c.channel, c.language, c.opted_out, c.phone
            FROM contacts c
            WHERE ${audience} AND c.id > ${cursor}
            ORDER BY c.id
            LIMIT ${deps.chunkSize}
          ), inserted AS (
            INSERT INTO deliveries (campaign_id, step_id, run_id, contact_id, channel, language, status, pending, skip_reason)
            SELECT ${run.campaign_id}, ${run.step_id}, ${run.id}, p.id,
                   CASE WHEN p.channel = 'whatsapp' AND ${deps.whatsappAvailable} THEN 'whatsapp'::channel ELSE 'sms'::channel END,
                   CASE WHEN p.language = ANY(${languages}::text[]) THEN p.language ELSE ${fallbackLanguage} END,
                   CASE WHEN p.opted_out THEN 'skipped'::delivery_status ELSE 'queued'::delivery_status END,
                   NOT p.opted_out,
                   CASE WHEN p.opted_out THEN 'opted_out' END
            FROM picked p
            ORDER BY p.id
            ON CONFLICT (step_id, contact_id) WHERE fallback_for_id IS NULL DO NOTHING
            RETURNING id, status
          )
          SELECT (SELECT max(id) FROM picked) AS last_contact,
                 (SELECT count(*)::int FROM picked) AS picked,
                 (SELECT array_agg(id::text ORDER BY id) FROM inserted WHERE status = 'queued') AS queued`),
      );
      const result = rows[0]!;
      if (result.last_contact !== null) {
        await client.query('UPDATE step_runs SET cursor = $2, targeted = targeted + $3 WHERE id = $1', [run.id, result.last_contact, result.picked]);
      }
      return result;
    });
    await queuing;
    queuing = chunk.queued?.length ? enqueueSendBatches(deps.sendQueue, run.id, chunk.queued, deps.batchSize, requestId) : Promise.resolve();
    // Awaited before the next chunk's jobs or the end; until then a failure must not count as unhandled.
    queuing.catch(() => undefined);
    targeted += chunk.picked;
    if (chunk.last_contact === null || chunk.picked < deps.chunkSize) break;
    cursor = chunk.last_contact;
  }
  await queuing;

  await markRunSending(deps.pool, run.id);
  return { targeted };
}

async function loadRun(pool: pg.Pool, runId: number): Promise<RunToFan | undefined> {
  const { rows } = await pool.query<RunToFan>(
    `SELECT r.id, r.step_id, r.campaign_id, r.timezone, r.status, r.cursor,
            c.status AS campaign_status, c.audience, sg.filter AS segment_filter, c.options, s.content,
            (SELECT array_agg(o.timezone) FROM step_runs o WHERE o.step_id = r.step_id AND o.timezone IS NOT NULL) AS other_zones
     FROM step_runs r
     JOIN campaigns c ON c.id = r.campaign_id
     JOIN campaign_steps s ON s.id = r.step_id
     LEFT JOIN segments sg ON sg.id = c.segment_id
     WHERE r.id = $1`,
    [runId],
  );
  return rows[0];
}

/** The campaign's audience, narrowed by its segment and, with per-zone runs, to this run's zone. */
function audienceForRun(run: RunToFan): Sql {
  const parts: Sql[] = [audienceCondition(run.audience)];
  if (run.segment_filter) parts.push(audienceCondition(run.segment_filter));
  if (run.timezone) parts.push(sql`c.timezone = ${run.timezone}`);
  else if (run.other_zones?.length) parts.push(sql`c.timezone <> ALL(${run.other_zones}::text[])`);
  return join(parts.map((p) => sql`(${p})`), ' AND ');
}
