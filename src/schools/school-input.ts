/**
 * A school as the API and the schools CSV take it: the ministry's institution code, a name, where it is
 * (department and district codes) and its zone. Attributes follow the same rules as a contact's.
 */
import Type, { type Static } from 'typebox';
import { ContactBody, type Checked } from '../contacts/contact-input.js';
import { districtOutsideDepartment } from './area-codes.js';

export const SCHOOL_ZONES = ['urban', 'rural'] as const;
export type SchoolZone = (typeof SCHOOL_ZONES)[number];

export const SchoolCode = Type.String({ pattern: '^[A-Za-z0-9._/-]{1,32}$', description: 'The institution code', examples: ['1104972'] });

export const SchoolBody = Type.Object(
  {
    code: SchoolCode,
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Escuela Básica Nº 4972 San Felipe'] }),
    department: Type.String({ pattern: '^\\d{2}$', description: 'Department code, 00 (Asunción) to 17', examples: ['11'] }),
    district: Type.String({ pattern: '^\\d{4}$', description: 'District code: department + district', examples: ['1104'] }),
    zone: Type.Optional(Type.Union([Type.Literal('urban'), Type.Literal('rural')])),
    attributes: ContactBody.properties.attributes,
  },
  { additionalProperties: false },
);
export type SchoolBody = Static<typeof SchoolBody>;

/** Checks beyond the schema's. */
export function checkSchool(school: SchoolBody): Checked<SchoolBody> {
  const outside = districtOutsideDepartment(school.district, school.department);
  return outside ? { ok: false, reason: outside } : { ok: true, value: school };
}
