/** Schools and their results as stored, and as the API shows them. */
import type pg from 'pg';
import type { PrismaClient, School, SchoolResult } from '../generated/prisma/client.js';
import type { SchoolBody, SchoolZone } from './school-input.js';

export type SchoolFilter = { department?: string; district?: string; zone?: SchoolZone };

/**
 * Creates the school, or updates the one with this code: zone and attributes given replace (attributes
 * key by key) what it has; left out, they are kept.
 */
export async function upsertSchool(pool: pg.Pool, school: SchoolBody): Promise<{ school: School; created: boolean }> {
  const { rows } = await pool.query<School & { created: boolean }>(
    `INSERT INTO schools (code, name, department, district, zone, attributes)
     VALUES ($1, $2, $3, $4, $5::school_zone, COALESCE($6::jsonb, '{}'))
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, department = excluded.department, district = excluded.district,
       zone = COALESCE($5::school_zone, schools.zone), attributes = schools.attributes || COALESCE($6::jsonb, '{}'), updated_at = now()
     RETURNING code, name, department, district, zone, attributes, created_at AS "createdAt", updated_at AS "updatedAt", (xmax = 0) AS created`,
    [school.code, school.name, school.department, school.district, school.zone ?? null, school.attributes ? JSON.stringify(school.attributes) : null],
  );
  const { created, ...stored } = rows[0]!;
  return { school: stored, created };
}

export async function listSchools(prisma: PrismaClient, filter: SchoolFilter, limit: number, afterCode?: string): Promise<School[]> {
  return prisma.school.findMany({
    where: { ...filter, ...(afterCode ? { code: { gt: afterCode } } : {}) },
    orderBy: { code: 'asc' },
    take: limit,
  });
}

export async function findSchool(prisma: PrismaClient, code: string): Promise<(School & { results: SchoolResult[] }) | null> {
  return prisma.school.findUnique({ where: { code }, include: { results: true } });
}

/** Results shaped as message bodies name them: results.grade3.math.level. */
export function resultsByGrade(results: Array<Pick<SchoolResult, 'grade' | 'subject' | 'level' | 'score'>>): Record<string, Record<string, { level: string; score: number }>> {
  const shaped: Record<string, Record<string, { level: string; score: number }>> = {};
  for (const result of results) (shaped[`grade${result.grade}`] ??= {})[result.subject] = { level: result.level, score: result.score };
  return shaped;
}

export function schoolJson(school: School, results?: SchoolResult[]) {
  return {
    code: school.code,
    name: school.name,
    department: school.department,
    district: school.district,
    zone: school.zone,
    attributes: school.attributes,
    createdAt: school.createdAt,
    updatedAt: school.updatedAt,
    ...(results ? { results: resultsByGrade(results) } : {}),
  };
}
