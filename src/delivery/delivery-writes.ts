/**
 * The set-based statements that move deliveries through a send: one statement per chunk, never one
 * per message, through the same pool as everything else.
 */
import type pg from 'pg';
import { advanceSql } from './status.js';

export type Skip = { id: string; reason: string; detail?: string };

export async function markSkipped(pool: pg.Pool, skips: Skip[]): Promise<void> {
  if (skips.length === 0) return;
  await pool.query(
    `UPDATE deliveries d SET status = 'skipped', pending = false, skip_reason = v.reason, error_message = v.detail,
            attempt_log = d.attempt_log || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('event', 'skipped', 'at', now(), 'reason', v.reason)))
     FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, reason, detail)
     WHERE d.id = v.id AND d.pending`,
    [skips.map((s) => s.id), skips.map((s) => s.reason), skips.map((s) => s.detail ?? null)],
  );
}

export type Claim = { id: string; body: string; segments: number; sender: string };

/**
 * Takes ownership of deliveries for one send attempt and records the attempt *before* the provider is
 * called: a crash after this point leaves a claim that expires and is resolved by asking the provider.
 * Returns the ids actually claimed (not those another worker owns, nor those opted out meanwhile) and
 * the claim's exact expiry, the lease their results are written under.
 */
export type Claimed = { ids: Set<string>; lease: string | undefined };

export async function claimDeliveries(pool: pg.Pool, claims: Claim[], leaseMs: number): Promise<Claimed> {
  if (claims.length === 0) return { ids: new Set(), lease: undefined };
  const { rows } = await pool.query<{ id: string; lease: string }>(
    `UPDATE deliveries d
     SET claimed_until = now() + make_interval(secs => $5::double precision / 1000), attempts = d.attempts + 1, attempted_at = now(),
         body = v.body, segments = v.segments, sender = v.sender
     FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[]) AS v(id, body, segments, sender), contacts c
     WHERE d.id = v.id AND c.id = d.contact_id AND NOT c.opted_out
       AND d.pending AND d.claimed_until IS NULL
     RETURNING d.id::text, d.claimed_until::text AS lease`,
    [claims.map((c) => c.id), claims.map((c) => c.body), claims.map((c) => c.segments), claims.map((c) => c.sender), leaseMs],
  );
  // One statement, one now(): every row claimed together holds the same lease.
  return { ids: new Set(rows.map((r) => r.id)), lease: rows[0]?.lease };
}

/**
 * accepted: the provider took it (its SID); retry: try again at nextAttemptAt; failed: final;
 * unknown: no answer came, so the provider may or may not have it — the claim is expired at once and
 * recovery asks the provider before anything is resent.
 */
export type SendResult =
  | { id: string; outcome: 'accepted'; sid: string }
  | { id: string; outcome: 'retry'; errorCode?: number; errorMessage: string; nextAttemptAt: Date }
  | { id: string; outcome: 'failed'; errorCode?: number; errorMessage: string }
  | { id: string; outcome: 'unknown'; errorMessage: string; nextAttemptAt: Date };

/**
 * With `lease`, only rows still claimed with exactly that claim are written: a late writer changes
 * nothing once its claim was taken over, or ended by a status callback (which proves the provider has
 * the message, and says more than a lost answer could).
 */
export async function recordResults(pool: pg.Pool, results: SendResult[], lease?: string): Promise<void> {
  if (results.length === 0) return;
  const column = <T>(pick: (r: SendResult) => T | undefined) => results.map((r) => pick(r) ?? null);
  await pool.query(
    `UPDATE deliveries d SET
       provider_sid = COALESCE(d.provider_sid, v.sid),
       accepted_at = COALESCE(d.accepted_at, CASE WHEN v.sid IS NOT NULL THEN now() END),
       claimed_until = CASE WHEN v.outcome = 'unknown' THEN now() END,
       pending = v.outcome IN ('retry', 'unknown'),
       status = CASE WHEN v.outcome = 'failed' THEN ${advanceSql('d.status', "'failed'")} ELSE d.status END,
       failed_at = CASE WHEN v.outcome = 'failed' THEN now() ELSE d.failed_at END,
       error_code = CASE WHEN v.outcome = 'accepted' THEN d.error_code ELSE v.error_code END,
       error_message = CASE WHEN v.outcome = 'accepted' THEN d.error_message ELSE v.error_message END,
       next_attempt_at = v.next_attempt_at,
       attempt_log = d.attempt_log || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
         'event', CASE v.outcome WHEN 'accepted' THEN 'accepted' WHEN 'failed' THEN 'failed' WHEN 'retry' THEN 'retrying' ELSE 'no answer' END,
         'at', now(), 'attempt', d.attempts, 'errorCode', v.error_code, 'sid', v.sid)))
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[])
          AS v(id, outcome, sid, error_code, error_message, next_attempt_at)
     WHERE d.id = v.id AND ($7::timestamptz IS NULL OR d.claimed_until = $7::timestamptz)`,
    [
      column((r) => r.id),
      column((r) => r.outcome),
      column((r) => (r.outcome === 'accepted' ? r.sid : undefined)),
      column((r) => ('errorCode' in r ? r.errorCode : undefined)),
      column((r) => ('errorMessage' in r ? r.errorMessage : undefined)),
      column((r) => ('nextAttemptAt' in r ? r.nextAttemptAt : undefined)),
      lease ?? null,
    ],
  );
}

/** SMS replacements for WhatsApp deliveries that failed in a way SMS can get around. */
export async function createSmsFallbacks(db: Pick<pg.Pool, 'query'>, failedWhatsappIds: string[]): Promise<Array<{ id: string; run_id: number }>> {
  if (failedWhatsappIds.length === 0) return [];
  const { rows } = await db.query<{ id: string; run_id: number }>(
    `INSERT INTO deliveries (campaign_id, step_id, run_id, contact_id, channel, language, status, fallback_for_id, attempt_log)
     SELECT d.campaign_id, d.step_id, d.run_id, d.contact_id, 'sms', d.language, 'queued', d.id,
            jsonb_build_array(jsonb_build_object('event', 'queued', 'at', now(), 'reason', 'SMS fallback for delivery ' || d.id))
     FROM deliveries d
     JOIN campaigns c ON c.id = d.campaign_id
     JOIN contacts ct ON ct.id = d.contact_id
     WHERE d.id = ANY($1::bigint[]) AND d.channel = 'whatsapp' AND d.status = 'failed'
       AND COALESCE((c.options->>'smsFallback')::boolean, true) AND NOT ct.opted_out
     ON CONFLICT (fallback_for_id) WHERE fallback_for_id IS NOT NULL DO NOTHING
     RETURNING id::text, run_id`,
    [failedWhatsappIds],
  );
  return rows;
}
