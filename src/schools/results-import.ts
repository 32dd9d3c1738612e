/**
 * The school results CSV import: one row per school, assessed grade and subject, upserted on those three.
 * A result is kept only where message bodies can name it ({{school.results.grade3.math.level}}), so the
 * grade must be an assessed one and the subject a plain word; subjects are stored in lower case.
 */
import { isKnownField } from '../content/template.js';
import type { Checked } from '../contacts/contact-input.js';
import type { RecordCells } from '../imports/csv-layout.js';
import { givenColumn, unknownSchoolCheck, type ImportTarget, type StagedRow } from '../imports/import-target.js';
import { quote } from '../imports/quote.js';
import { rowSchema } from '../imports/row-schema.js';
import { SchoolCode } from './school-input.js';

const LEVELS = ['I', 'II', 'III', 'IV'] as const;

/** The grades message bodies can name (3, 6, 9, 12): the template's rules are the one place that says so. */
export const ASSESSED_GRADES = Array.from({ length: 14 }, (_, grade) => grade).filter((grade) => isKnownField(resultField(grade, 'subject')));

const SCHOOL_CODE = rowSchema(SchoolCode);

const MAX_SUBJECT = 40;

// Scale scores sit around 400–550; anything outside 0–1000 is a typo, not a result.
const MAX_SCORE = 1000;

export const resultsImport: ImportTarget = {
  kind: 'results',
  columns: {
    fields: [
      { field: 'schoolCode', required: true },
      { field: 'grade', required: true },
      { field: 'subject', required: true },
      { field: 'level', required: true },
      { field: 'score', required: true },
    ],
    attributes: false,
  },
  checkRow: checkResultRow,
  staging: { school_code: 'text', grade: 'smallint', subject: 'text', level: 'text', score: 'double precision' },
  table: 'school_results',
  key: ['school_code', 'grade', 'subject'],
  keyLabel: 'school, grade and subject',
  written: [givenColumn('level'), givenColumn('score')],
  checks: [unknownSchoolCheck('school_code')],
  complete: [],
};

export function checkResultRow({ cells }: RecordCells): Checked<StagedRow> {
  for (const field of ['schoolCode', 'grade', 'subject', 'level', 'score']) if (!cells[field]) return { ok: false, reason: `no ${field}` };
  if (!SCHOOL_CODE.Check(cells.schoolCode)) return { ok: false, reason: `school code ${quote(cells.schoolCode!)} is not an institution code (1 to 32 letters, digits, ., _, / or -)` };
  if (!/^\d{1,2}$/.test(cells.grade!)) return { ok: false, reason: `grade ${quote(cells.grade!)} is not a whole number` };
  const grade = Number(cells.grade);
  if (!ASSESSED_GRADES.includes(grade)) return { ok: false, reason: `grade ${grade} is not an assessed grade (${ASSESSED_GRADES.join(', ')})` };
  const subject = cells.subject!.toLowerCase();
  if (subject.length > MAX_SUBJECT || !isKnownField(resultField(grade, subject))) return { ok: false, reason: `subject ${quote(cells.subject!)} is not a plain word (a letter, then up to ${MAX_SUBJECT - 1} letters, digits, _ or -)` };
  const level = cells.level!.toUpperCase();
  if (!(LEVELS as readonly string[]).includes(level)) return { ok: false, reason: `unknown level ${quote(cells.level!)} (known: ${LEVELS.join(', ')})` };
  // Spreadsheets in Spanish write decimals with a comma.
  const score = Number(cells.score!.replace(',', '.'));
  if (!Number.isFinite(score) || score < 0 || score > MAX_SCORE) return { ok: false, reason: `score ${quote(cells.score!)} is not a number from 0 to ${MAX_SCORE}` };
  return { ok: true, value: { school_code: cells.schoolCode, grade, subject, level, score } };
}

function resultField(grade: number, subject: string): string {
  return `school.results.grade${grade}.${subject}.level`;
}
