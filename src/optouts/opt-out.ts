/**
 * Opting contacts out and back in. An opt-out takes effect at once: a worker claims a delivery only for a
 * contact who is not opted out, in the same statement, so nothing more is sent to them, including
 * messages already queued (those are marked skipped when their batch comes up).
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
