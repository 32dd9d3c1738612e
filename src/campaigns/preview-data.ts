/**
 * What a preview reads about an audience (the SQL condition audiences/resolve.ts makes of a filter and a
 * segment), whatever its size: how many contacts it holds by language and channel, and one real sample
 * contact per recipient group with everything a text may use about them. Opted-out contacts are counted
 * apart: they are skipped at send time.
 */
import type pg from 'pg';
import type { MergeContext } from '../content/template.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Channel } from '../providers/provider.js';
import { join, sql, toQuery, type Sql } from '../shared/sql.js';

type Queryable = Pick<pg.Pool, 'query'>;

/** Contacts of one language and channel: those that will be messaged, and those opted out. */
export type MixRow = { language: string; channel: Channel; contacts: number; optedOut: number };

/** Contacts by their own language and channel, as the fan-out will see them. */
export type ContactGroup = { languages: string[]; channels: Channel[] };

export async function audienceMix(db: Queryable, where: Sql): Promise<MixRow[]> {
  const { rows } = await db.query<MixRow>(
    toQuery(sql`
      SELECT c.language, c.channel::text AS channel, count(*) FILTER (WHERE NOT c.opted_out)::int AS contacts, count(*) FILTER (WHERE c.opted_out)::int AS "optedOut"
      FROM contacts c WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`),
  );
  return rows;
}

/** The lowest-id contact of each group still messaged, or none, by position in `groups`. */
export async function sampleContactIds(db: Queryable, where: Sql, groups: ContactGroup[]): Promise<Array<number | undefined>> {
  if (groups.length === 0) return [];
  const values = groups.map((g, i) => sql`(${i}::int, ${g.languages}::text[], ${g.channels}::text[])`);
  const { rows } = await db.query<{ i: number; id: number }>(
    toQuery(sql`
      SELECT p.i, x.id FROM (VALUES ${join(values, ', ')}) AS p(i, languages, channels)
      CROSS JOIN LATERAL (
        SELECT c.id FROM contacts c
        WHERE ${where} AND NOT c.opted_out AND c.language = ANY(p.languages) AND c.channel::text = ANY(p.channels)
        ORDER BY c.id LIMIT 1
      ) x`),
  );
  const byGroup = new Map(rows.map((r) => [r.i, r.id]));
  return groups.map((_, i) => byGroup.get(i));
}

/** Everything a text may use about each contact: themselves, their school and its results. */
export async function mergeContexts(prisma: PrismaClient, ids: number[], campaignName: string): Promise<Map<number, MergeContext>> {
  const contacts = await prisma.contact.findMany({ where: { id: { in: ids } }, include: { school: { include: { results: true } } } });
  return new Map(
    contacts.map((c) => {
      const school = c.school && {
        code: c.school.code,
        name: c.school.name,
        department: c.school.department,
        district: c.school.district,
        zone: c.school.zone,
        attributes: c.school.attributes as Record<string, unknown>,
        results: Object.fromEntries(
          [...new Set(c.school.results.map((r) => r.grade))].map((grade) => [
            `grade${grade}`,
            Object.fromEntries(c.school!.results.filter((r) => r.grade === grade).map((r) => [r.subject, { level: r.level, score: r.score }])),
          ]),
        ),
      };
      const contact = {
        name: c.name,
        role: c.role,
        language: c.language,
        channel: c.channel,
        schoolCode: c.schoolCode,
        department: c.department,
        district: c.district,
        grade: c.grade,
        attributes: c.attributes as Record<string, unknown>,
      };
      return [c.id, { contact, school, campaign: { name: campaignName } }];
    }),
  );
}
