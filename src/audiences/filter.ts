/**
 * Who a campaign, segment or preview addresses. Every list narrows the audience (AND between lists,
 * OR within one); an empty filter means every contact. Each condition hits a plain indexed column.
 */
import Type, { type Static } from 'typebox';
import { join, raw, sql, type Sql } from '../shared/sql.js';

const Codes = (description: string) => Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10_000, description }));

export const AudienceFilter = Type.Object(
  {
    roles: Type.Optional(Type.Array(Type.Union([Type.Literal('parent'), Type.Literal('teacher'), Type.Literal('director'), Type.Literal('supervisor'), Type.Literal('official')]), { maxItems: 5 })),
    departments: Codes('Department codes, 00 (Asunción) to 17'),
    districts: Codes('District codes (4 digits: department + district)'),
    schoolCodes: Codes('School (institution) codes'),
    zones: Type.Optional(Type.Array(Type.Union([Type.Literal('urban'), Type.Literal('rural')]), { maxItems: 2 })),
    grades: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 13 }), { maxItems: 14 })),
    languages: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]{2,3}$' }), { maxItems: 20 })),
    channels: Type.Optional(Type.Array(Type.Union([Type.Literal('whatsapp'), Type.Literal('sms')]), { maxItems: 2 })),
  },
  { additionalProperties: false, $id: 'AudienceFilter' },
);
export type AudienceFilter = Static<typeof AudienceFilter>;

/** Conditions on contacts aliased `c`, true for every contact the filter addresses (opted out included). */
export function audienceCondition(filter: AudienceFilter): Sql {
  const conditions: Sql[] = [raw('c.erased_at IS NULL')];
  if (filter.roles?.length) conditions.push(sql`c.role = ANY(${filter.roles}::contact_role[])`);
  if (filter.departments?.length) conditions.push(sql`c.department = ANY(${filter.departments}::text[])`);
  if (filter.districts?.length) conditions.push(sql`c.district = ANY(${filter.districts}::text[])`);
  if (filter.schoolCodes?.length) conditions.push(sql`c.school_code = ANY(${filter.schoolCodes}::text[])`);
  if (filter.zones?.length) conditions.push(sql`c.school_code IN (SELECT code FROM schools WHERE zone = ANY(${filter.zones}::school_zone[]))`);
  if (filter.grades?.length) conditions.push(sql`c.grade = ANY(${filter.grades}::smallint[])`);
  if (filter.languages?.length) conditions.push(sql`c.language = ANY(${filter.languages}::text[])`);
  if (filter.channels?.length) conditions.push(sql`c.channel = ANY(${filter.channels}::channel[])`);
  return join(conditions, ' AND ');
}
