/**
 * The audience a request names: a filter, a saved segment, or both (a contact must match both). The
 * result is the SQL condition on contacts `c` the preview, the fan-out and the warnings all count with.
 */
import Type, { type Static } from 'typebox';
import type { PrismaClient } from '../generated/prisma/client.js';
import { badRequest } from '../http/errors.js';
import { join, sql, type Sql } from '../shared/sql.js';
import { AudienceFilter, audienceCondition } from './filter.js';

export const AudienceRequest = Type.Object(
  {
    filter: Type.Optional(AudienceFilter),
    segmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'A saved segment; with a filter too, contacts must match both' })),
  },
  { additionalProperties: false },
);
export type AudienceRequest = Static<typeof AudienceRequest>;

export async function audienceOf(prisma: PrismaClient, request: AudienceRequest): Promise<Sql> {
  const filters: AudienceFilter[] = [request.filter ?? {}];
  if (request.segmentId !== undefined) {
    const segment = await prisma.segment.findUnique({ where: { id: request.segmentId } });
    if (!segment) throw badRequest(`unknown segment ${request.segmentId}`);
    filters.push(segment.filter as AudienceFilter);
  }
  return join(filters.map((filter) => sql`(${audienceCondition(filter)})`), ' AND ');
}
