/**
 * The schools CSV import: one row per school, upserted by code. Zone accepts the ministry's Spanish words
 * (urbana, rural); a cell left empty keeps what a stored school has.
 */
import type { RecordCells } from '../imports/csv-layout.js';
import { givenColumn, mergedObjectColumn, optionalColumn, type ImportTarget, type StagedRow } from '../imports/import-target.js';
import { quote } from '../imports/quote.js';
import { rowSchema, schemaProblem } from '../imports/row-schema.js';
import type { Checked } from '../contacts/contact-input.js';
import { departmentCode, districtCode } from './area-codes.js';
import { SCHOOL_ZONES, SchoolBody, checkSchool, type SchoolZone } from './school-input.js';

const ZONE_WORDS: Record<string, SchoolZone> = { urban: 'urban', urbana: 'urban', urbano: 'urban', rural: 'rural' };

const SCHOOL_SCHEMA = rowSchema(SchoolBody);

export const schoolsImport: ImportTarget = {
  kind: 'schools',
  columns: {
    fields: [{ field: 'code', required: true }, { field: 'name', required: true }, { field: 'department', required: true }, { field: 'district', required: true }, { field: 'zone' }],
    attributes: true,
  },
  checkRow: checkSchoolRow,
  staging: { code: 'text', name: 'text', department: 'text', district: 'text', zone: 'school_zone', attributes: 'jsonb' },
  table: 'schools',
  key: ['code'],
  keyLabel: 'code',
  written: [givenColumn('name'), givenColumn('department'), givenColumn('district'), optionalColumn('zone'), mergedObjectColumn('attributes')],
  stamp: 'updated_at',
  checks: [],
  complete: [],
};

export function checkSchoolRow({ cells, attributes }: RecordCells): Checked<StagedRow> {
  for (const field of ['code', 'name', 'department', 'district']) if (!cells[field]) return { ok: false, reason: `no ${field}` };
  const zone = cells.zone === undefined ? undefined : ZONE_WORDS[cells.zone.toLowerCase()];
  if (cells.zone !== undefined && !zone) return { ok: false, reason: `unknown zone ${quote(cells.zone)} (known: ${SCHOOL_ZONES.join(', ')})` };
  const school: SchoolBody = {
    code: cells.code!,
    name: cells.name!,
    department: departmentCode(cells.department!),
    district: districtCode(cells.district!),
    ...(zone ? { zone } : {}),
    ...(Object.keys(attributes).length ? { attributes } : {}),
  };
  const problem = schemaProblem(SCHOOL_SCHEMA, school);
  if (problem) return { ok: false, reason: problem };
  const checked = checkSchool(school);
  if (!checked.ok) return checked;
  return { ok: true, value: { ...school, zone: school.zone ?? null, attributes: school.attributes ?? null } };
}
