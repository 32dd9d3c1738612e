/**
 * The contacts CSV import. Columns are the API's contact fields; every row is checked by the rules of
 * POST /v1/contacts (checkContact, then the ContactBody schema), and upserted by phone. A cell left empty
 * keeps what a stored contact has (a new contact gets the default); department and district come from the
 * contact's school when the row does not give them.
 */
import { raw } from '../shared/sql.js';
import { departmentCode, districtCode } from '../schools/area-codes.js';
import type { RecordCells } from '../imports/csv-layout.js';
import { givenColumn, mergedObjectColumn, optionalColumn, unknownSchoolCheck, type ImportTarget, type StagedRow, type StagingColumns } from '../imports/import-target.js';
import { quote } from '../imports/quote.js';
import { rowSchema, schemaProblem } from '../imports/row-schema.js';
import { CHANNELS, CONTACT_ROLES, ContactBody, checkContact, type Checked, type ContactRules } from './contact-input.js';

type Role = (typeof CONTACT_ROLES)[number];

// Rosters come from Spanish-speaking offices: their words for each role are accepted as well.
const ROLE_WORDS: Record<string, Role> = {
  ...Object.fromEntries(CONTACT_ROLES.map((role) => [role, role])),
  padre: 'parent',
  madre: 'parent',
  tutor: 'parent',
  tutora: 'parent',
  docente: 'teacher',
  profesor: 'teacher',
  profesora: 'teacher',
  maestro: 'teacher',
  maestra: 'teacher',
  directora: 'director',
  supervisora: 'supervisor',
  funcionario: 'official',
  funcionaria: 'official',
};

const CONTACT_SCHEMA = rowSchema(ContactBody);

/** A checked contact row, typed as the contacts table has it. */
export const CONTACT_STAGING: StagingColumns = {
  phone: 'text', name: 'text', role: 'contact_role', language: 'text', channel: 'channel', school_code: 'text',
  department: 'text', district: 'text', grade: 'smallint', timezone: 'text', attributes: 'jsonb',
};

export type ContactImportRules = ContactRules & { defaultTimezone: string };

export function contactsImport(rules: ContactImportRules): ImportTarget {
  return {
    kind: 'contacts',
    columns: {
      fields: [
        { field: 'phone', required: true },
        { field: 'name' },
        { field: 'role', required: true },
        { field: 'language' },
        { field: 'channel' },
        { field: 'schoolCode' },
        { field: 'department' },
        { field: 'district' },
        { field: 'grade' },
        { field: 'timezone' },
      ],
      attributes: true,
    },
    checkRow: (record) => checkContactRow(record, rules),
    staging: CONTACT_STAGING,
    table: 'contacts',
    key: ['phone'],
    keyLabel: 'phone',
    written: [
      optionalColumn('name'),
      givenColumn('role'),
      optionalColumn('language', rules.languages[0] ?? 'es'),
      optionalColumn('channel', 'whatsapp'),
      optionalColumn('school_code'),
      optionalColumn('department'),
      optionalColumn('district'),
      optionalColumn('grade'),
      optionalColumn('timezone', rules.defaultTimezone),
      mergedObjectColumn('attributes'),
    ],
    stamp: 'updated_at',
    checks: [
      unknownSchoolCheck('school_code'),
      {
        where: raw('EXISTS (SELECT 1 FROM contacts e WHERE e.phone = s.phone AND e.erased_at IS NOT NULL)'),
        reason: raw(`'this contact was erased on request and cannot be written again'`),
      },
    ],
    complete: [
      raw(`UPDATE import_rows s SET department = COALESCE(s.department, sc.department), district = COALESCE(s.district, sc.district)
           FROM schools sc WHERE sc.code = s.school_code AND (s.department IS NULL OR s.district IS NULL)`),
    ],
  };
}

/** One row of a contacts file, checked as POST /v1/contacts checks a body. */
export function checkContactRow({ cells, attributes }: RecordCells, rules: ContactRules): Checked<StagedRow> {
  if (!cells.phone) return { ok: false, reason: 'no phone' };
  if (!cells.role) return { ok: false, reason: 'no role' };
  const role = ROLE_WORDS[cells.role.toLowerCase()];
  if (!role) return { ok: false, reason: `unknown role ${quote(cells.role)} (known: ${CONTACT_ROLES.join(', ')})` };
  const channel = cells.channel?.toLowerCase();
  if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) return { ok: false, reason: `unknown channel ${quote(cells.channel!)} (known: ${CHANNELS.join(', ')})` };
  if (cells.grade !== undefined && !/^\d{1,2}$/.test(cells.grade)) return { ok: false, reason: `grade ${quote(cells.grade)} is not a whole number` };

  // Only the fields the row gives: an absent one is "keep what is stored", not "clear it".
  // Built as a plain record: ContactBody's static type reads its role and channel unions as undefined.
  const input: Record<string, unknown> = { phone: cells.phone, role };
  if (cells.name !== undefined) input.name = cells.name;
  if (cells.language !== undefined) input.language = cells.language.toLowerCase();
  if (channel !== undefined) input.channel = channel;
  if (cells.schoolCode !== undefined) input.schoolCode = cells.schoolCode;
  if (cells.department !== undefined) input.department = departmentCode(cells.department);
  if (cells.district !== undefined) input.district = districtCode(cells.district);
  if (cells.grade !== undefined) input.grade = Number(cells.grade);
  if (cells.timezone !== undefined) input.timezone = cells.timezone;
  if (Object.keys(attributes).length) input.attributes = attributes;
  const checked = checkContact(input as ContactBody, rules);
  if (!checked.ok) return checked;
  const problem = schemaProblem(CONTACT_SCHEMA, input);
  if (problem) return { ok: false, reason: problem };

  const contact = checked.value;
  return {
    ok: true,
    value: {
      phone: contact.phone,
      name: contact.name,
      role: contact.role,
      language: contact.language,
      channel: contact.channel,
      school_code: contact.schoolCode,
      department: contact.department,
      district: contact.district,
      grade: contact.grade,
      timezone: contact.timezone,
      attributes: contact.attributes,
    },
  };
}
