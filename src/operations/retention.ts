/**
 * Message bodies are personal data (they carry names, schools, results) kept only as long as needed:
 * the bodies of deliveries and of recipients' replies older than RETENTION_DAYS are purged by a
 * periodic maintenance duty. Everything else stays, so reports still add up.
 *
 * Deliveries still waiting for the provider keep their body: recovering an interrupted send compares
 * it. Each call purges at most `batch` rows per table, so one run never holds long locks; the duty runs
 * again until nothing is left.
 */
import type pg from 'pg';

export type PurgeReport = { deliveries: number; replies: number };

export async function purgeExpiredMessageBodies(pool: pg.Pool, retentionDays: number, batch = 5000): Promise<PurgeReport> {
  const deliveries = await pool.query(
    `UPDATE deliveries SET body = NULL
     WHERE id IN (SELECT id FROM deliveries
                  WHERE body IS NOT NULL AND created_at < now() - make_interval(days => $1) AND status NOT IN ('queued', 'sending')
                  LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [retentionDays, batch],
  );
  const replies = await pool.query(
    `UPDATE inbound_messages SET body = NULL
     WHERE id IN (SELECT id FROM inbound_messages WHERE body IS NOT NULL AND received_at < now() - make_interval(days => $1) LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [retentionDays, batch],
  );
  return { deliveries: deliveries.rowCount ?? 0, replies: replies.rowCount ?? 0 };
}
