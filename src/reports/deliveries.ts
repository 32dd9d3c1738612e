/**
 * The individual deliveries of a campaign, with their status history and the provider's error codes.
 * The history joins what we did (the attempt log) with what the provider reported (the *_at columns).
 */
import type pg from 'pg';
import Type, { type Static } from 'typebox';
import { DELIVERY_STATUSES } from '../delivery/status.js';

export const DeliveriesQuery = Type.Object(
  {
    step: Type.Optional(Type.Integer({ minimum: 1, description: 'Step position' })),
    status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
    channel: Type.Optional(Type.Union([Type.Literal('whatsapp'), Type.Literal('sms')])),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    after: Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'Return deliveries with a larger id' })),
  },
  { additionalProperties: false },
);

type Row = Record<string, unknown> & {
  id: string;
  status: string;
  errorCode: number | null;
  attemptLog: Array<Record<string, unknown> & { at: string }>;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
};

export async function listDeliveries(pool: pg.Pool, campaignId: number, query: Static<typeof DeliveriesQuery>) {
  const { rows } = await pool.query<Row>(
    `SELECT d.id::text AS id, s.position AS step, d.contact_id AS "contactId", c.phone, d.channel, d.language, d.status,
            d.skip_reason AS "skipReason", d.provider_sid AS "providerSid", d.attempts, d.error_code AS "errorCode",
            d.error_message AS "errorMessage", d.fallback_for_id::text AS "fallbackFor", d.attempt_log AS "attemptLog",
            d.accepted_at AS "acceptedAt", d.sent_at AS "sentAt", d.delivered_at AS "deliveredAt", d.read_at AS "readAt", d.failed_at AS "failedAt"
     FROM deliveries d
     JOIN campaign_steps s ON s.id = d.step_id
     JOIN contacts c ON c.id = d.contact_id
     WHERE d.run_id IN (SELECT r.id FROM step_runs r JOIN campaign_steps rs ON rs.id = r.step_id
                        WHERE r.campaign_id = $1 AND ($2::int IS NULL OR rs.position = $2))
       AND ($3::delivery_status IS NULL OR d.status = $3)
       AND ($4::channel IS NULL OR d.channel = $4)
       AND ($5::bigint IS NULL OR d.id > $5)
     ORDER BY d.id
     LIMIT $6`,
    [campaignId, query.step ?? null, query.status ?? null, query.channel ?? null, query.after ?? null, query.limit],
  );
  const items = rows.map(({ attemptLog, ...row }) => ({ ...row, statusHistory: statusHistory(row.status, row.errorCode, attemptLog, row) }));
  return { items, nextAfter: rows.length === query.limit ? rows[rows.length - 1]!.id : null };
}

/**
 * Our attempts in time order, then the provider's reports in the order a message lives them, each with
 * when we learned it: callbacks overtake each other, and a history reading "undelivered, sent" would
 * describe a message that never existed.
 */
function statusHistory(status: string, errorCode: number | null, attempts: Row['attemptLog'], at: Pick<Row, 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'>) {
  const reported = [
    at.sentAt && { event: 'sent', at: at.sentAt.toISOString() },
    at.deliveredAt && { event: 'delivered', at: at.deliveredAt.toISOString() },
    at.readAt && { event: 'read', at: at.readAt.toISOString() },
    at.failedAt && (status === 'failed' || status === 'undelivered') && { event: status, at: at.failedAt.toISOString(), ...(errorCode ? { errorCode } : {}) },
  ].filter((e): e is { event: string; at: string } => Boolean(e));
  return [...[...attempts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)), ...reported];
}
