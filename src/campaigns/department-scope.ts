/**
 * A communicator limited to some departments may only address contacts in them. A campaign's audience
 * is its filter AND its segment's filter, so it stays inside when either names only allowed departments;
 * a filter without departments reaches the whole country and is refused.
 */
import type pg from 'pg';
import type { AudienceFilter } from '../audiences/filter.js';
import { badRequest, forbidden } from '../http/errors.js';

type Queryable = Pick<pg.Pool, 'query'>;

/** Why the audience leaves the allowed departments, or null when it does not (or nothing is limited). */
export function scopeProblem(allowed: string[], filters: AudienceFilter[]): string | null {
  if (allowed.length === 0) return null;
  const inside = filters.some((filter) => filter.departments?.length && filter.departments.every((d) => allowed.includes(d)));
  if (inside) return null;
  const named = [...new Set(filters.flatMap((filter) => filter.departments ?? []))];
  const outside = named.filter((d) => !allowed.includes(d));
  return outside.length
    ? `the audience includes departments you may not address (${outside.join(', ')}); yours: ${allowed.join(', ')}`
    : `the audience has no department filter, so it reaches every department; you may address only ${allowed.join(', ')}`;
}

/** The filter of a segment a campaign uses; 400 when there is no such segment. */
async function segmentFilter(db: Queryable, segmentId: number | null): Promise<AudienceFilter | null> {
  if (segmentId === null) return null;
  const { rows } = await db.query<{ filter: AudienceFilter }>('SELECT filter FROM segments WHERE id = $1', [segmentId]);
  if (!rows[0]) throw badRequest(`unknown segment ${segmentId}`);
  return rows[0].filter;
}

/** 403 when the caller's departments do not cover the campaign's audience (with its segment). */
export async function assertAudienceInScope(db: Queryable, allowed: string[], campaign: { audience: AudienceFilter; segmentId: number | null }): Promise<void> {
  const segment = await segmentFilter(db, campaign.segmentId);
  const problem = scopeProblem(allowed, segment ? [campaign.audience, segment] : [campaign.audience]);
  if (problem) throw forbidden(problem);
}
