/**
 * Opting contacts out and back in. An opt-out takes effect at once: the contact's deliveries that wait
 * in our queue are skipped right away (a worker also re-checks when it claims a delivery), so nothing
 * more is sent to them, including messages already queued.
 */
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

export async function optOut(db: Queryable, contactIds: number[], source: string): Promise<number> {
  if (contactIds.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE contacts SET opted_out = true, opted_out_at = now(), opt_out_source = $2, updated_at = now()
     WHERE id = ANY($1::int[]) AND NOT opted_out`,
    [contactIds, source],
  );
  await db.query(
    `UPDATE deliveries SET status = 'skipped', skip_reason = 'opted_out', updated_at = now(),
            status_history = status_history || jsonb_build_array(jsonb_build_object('status', 'skipped', 'at', now(), 'reason', 'opted_out'))
     WHERE contact_id = ANY($1::int[]) AND status = 'queued' AND provider_sid IS NULL AND claimed_until IS NULL`,
    [contactIds],
  );
  return rowCount ?? 0;
}

export async function optIn(db: Queryable, contactIds: number[], source: string): Promise<number> {
  if (contactIds.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE contacts SET opted_out = false, opted_out_at = NULL, opt_out_source = $2, updated_at = now()
     WHERE id = ANY($1::int[]) AND opted_out`,
    [contactIds, source],
  );
  return rowCount ?? 0;
}
