/**
 * How many contacts of an audience lack a merge field: no school, a school without that result, an
 * attribute they do not have... "Lacking" means what render() in content/template.ts finds: no value,
 * null, empty text, or not a plain value. Counted set-based, in one scan of the audience with one FILTER
 * per question; what depends on the school is a set of school codes that PostgreSQL hashes once.
 * Only contacts who can be messaged (not opted out) are counted: the others get nothing anyway.
 */
import type pg from 'pg';
import { isKnownField } from '../content/template.js';
import { join, raw, sql, toQuery, type Sql } from '../shared/sql.js';

/** A field, asked about among the contacts of the audience matching `among` (all of them without). */
export type FieldQuestion = { field: string; among?: Sql };

// Contact fields by column; null for the ones every contact has.
const CONTACT_COLUMNS: Record<string, string | null> = {
  name: 'name',
  role: null,
  language: null,
  channel: null,
  schoolCode: 'school_code',
  department: 'department',
  district: 'district',
  grade: 'grade',
};
const SCHOOL_COLUMNS: Record<string, string> = { code: 'code', name: 'name', department: 'department', district: 'district', zone: 'zone' };

/** How many contacts lack each field, in the order asked. */
export async function countMissingFields(db: Pick<pg.Pool, 'query'>, audience: Sql, questions: FieldQuestion[]): Promise<number[]> {
  // The same question asked twice (the same field in several steps) is counted once.
  const distinct = new Map<string, { condition: Sql; column: string }>();
  const columns = questions.map((question) => {
    const missing = missingCondition(question.field);
    if (!missing) return null;
    const condition = question.among ? sql`(${question.among}) AND ${missing}` : missing;
    const key = JSON.stringify(condition);
    if (!distinct.has(key)) distinct.set(key, { condition, column: `m${distinct.size}` });
    return distinct.get(key)!.column;
  });
  if (distinct.size === 0) return questions.map(() => 0);
  const counts = [...distinct.values()].map(({ condition, column }) => sql`count(*) FILTER (WHERE ${condition})::int AS ${raw(column)}`);
  const { rows } = await db.query<Record<string, number>>(toQuery(sql`SELECT ${join(counts, ', ')} FROM contacts c WHERE (${audience}) AND NOT c.opted_out`));
  return columns.map((column) => (column ? rows[0]![column]! : 0));
}

/** A condition on contact `c` true when they lack the field, or null when no contact can lack it. */
export function missingCondition(field: string): Sql | null {
  if (!isKnownField(field)) throw new Error(`not a merge field: ${field}`);
  const [scope, name, ...rest] = field.split('.') as [string, string, ...string[]];
  if (scope === 'campaign') return null;
  if (scope === 'contact') {
    if (name === 'attributes') return sql`NOT ${hasPlainValue(raw('c.attributes'), rest[0]!)}`;
    const column = CONTACT_COLUMNS[name];
    return column ? raw(`NULLIF(c.${column}::text, '') IS NULL`) : null;
  }
  return sql`(c.school_code IS NULL OR c.school_code NOT IN (${schoolsWith(name, rest)}))`;
}

/** The codes of the schools that have a school field. */
function schoolsWith(name: string, rest: string[]): Sql {
  if (name === 'attributes') return sql`SELECT s.code FROM schools s WHERE ${hasPlainValue(raw('s.attributes'), rest[0]!)}`;
  if (name === 'results') {
    const [gradeKey, subject] = rest as [string, string];
    return sql`SELECT r.school_code FROM school_results r WHERE r.grade = ${Number(gradeKey.replace('grade', ''))} AND r.subject = ${subject}`;
  }
  return raw(`SELECT s.code FROM schools s WHERE NULLIF(s.${SCHOOL_COLUMNS[name]!}::text, '') IS NOT NULL`);
}

function hasPlainValue(object: Sql, key: string): Sql {
  return sql`COALESCE(jsonb_typeof(${object} -> ${key}::text) IN ('string', 'number', 'boolean') AND ${object} ->> ${key}::text <> '', false)`;
}
