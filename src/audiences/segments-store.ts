/** Saved segments: a named audience filter that campaigns and previews refer to by id. */
import type { PrismaClient, Segment } from '../generated/prisma/client.js';
import { conflict } from '../http/errors.js';
import type { AudienceFilter } from './filter.js';

// Campaigns that may still send: their audience is resolved again at each step, segment included.
const ACTIVE_CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused'] as const;

export type NewSegment = { name: string; description?: string; filter: AudienceFilter };

export async function createSegment(prisma: PrismaClient, segment: NewSegment, createdById: number | null): Promise<Segment> {
  if (await prisma.segment.findUnique({ where: { name: segment.name } })) throw conflict(`a segment named "${segment.name}" exists already`);
  return prisma.segment.create({ data: { name: segment.name, description: segment.description ?? null, filter: segment.filter, createdById } });
}

/**
 * Deletes a segment no campaign that may still send refers to: the fan-out of such a campaign would
 * otherwise find no segment and address the campaign's whole audience.
 */
export async function deleteSegment(prisma: PrismaClient, id: number): Promise<boolean> {
  const users = await prisma.campaign.findMany({ where: { segmentId: id, status: { in: [...ACTIVE_CAMPAIGN_STATUSES] } }, select: { id: true }, take: 20 });
  if (users.length) throw conflict(`segment ${id} is used by campaign(s) ${users.map((c) => c.id).join(', ')}, which may still send`);
  const { count } = await prisma.segment.deleteMany({ where: { id } });
  return count > 0;
}

export function segmentJson(segment: Segment) {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    filter: segment.filter,
    createdById: segment.createdById,
    createdAt: segment.createdAt,
    updatedAt: segment.updatedAt,
  };
}
