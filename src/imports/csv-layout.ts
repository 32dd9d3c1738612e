/**
 * What each column of a CSV file is, read from its header, and the cells of one record by field name.
 * Columns are the API's field names, matched without regard to case, spaces, `_` or `-` (so
 * `schoolCode`, `school_code` and `School Code` are one column); `attr_<name>` and `attributes.<name>`
 * columns fill the record's free attributes. Anything else is refused: a misspelt `telefono` column
 * silently dropped would be worse than a clear error.
 */
import { REPLACEMENT_CHARACTER } from './encoding.js';
import { quote } from './quote.js';

export type ColumnSpec = { field: string; required?: boolean };
export type ImportColumns = { fields: ColumnSpec[]; attributes: boolean };

export type CsvLayout = { width: number; fields: Array<[index: number, field: string]>; attributes: Array<[index: number, name: string]> };

export type HeaderProblem = { problems: string[]; expected: { required: string[]; optional: string[]; attributes?: string } };

/** Cells given (trimmed, in NFC, empty ones left out) by field name, and attributes by name. */
export type RecordCells = { cells: Record<string, string>; attributes: Record<string, string> };

const ATTRIBUTE_COLUMN = /^(?:attr_|attributes\.)(.*)$/i;
// The rule of the API for attribute names (ContactBody), checked here to refuse a bad header at once.
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const NON_ASCII = /[^\x00-\x7f]/;

export function readHeader(names: string[], columns: ImportColumns): { ok: true; layout: CsvLayout } | ({ ok: false } & HeaderProblem) {
  const byKey = new Map(columns.fields.map((spec) => [columnKey(spec.field), spec.field]));
  const layout: CsvLayout = { width: names.length, fields: [], attributes: [] };
  const problems: string[] = [];
  const seen = new Set<string>();
  names.forEach((raw, index) => {
    const name = raw.trim();
    // Spreadsheets often export trailing columns with no name and no content.
    if (name === '') return;
    const attribute = columns.attributes ? ATTRIBUTE_COLUMN.exec(name)?.[1] : undefined;
    const target = attribute !== undefined ? `attributes.${attribute}` : byKey.get(columnKey(name));
    if (attribute !== undefined && !ATTRIBUTE_NAME.test(attribute)) problems.push(`column ${quote(name)}: an attribute name starts with a letter and has only letters, digits, _ and -`);
    else if (!target) problems.push(`unknown column ${quote(name)}`);
    else if (seen.has(target)) problems.push(`column ${quote(name)} appears twice`);
    else if (attribute !== undefined) layout.attributes.push([index, attribute]);
    else layout.fields.push([index, target]);
    if (target) seen.add(target);
  });
  const missing = columns.fields.filter((spec) => spec.required && !seen.has(spec.field)).map((spec) => spec.field);
  if (missing.length) problems.unshift(`missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (problems.length === 0) return { ok: true, layout };
  return {
    ok: false,
    problems,
    expected: {
      required: columns.fields.filter((s) => s.required).map((s) => s.field),
      optional: columns.fields.filter((s) => !s.required).map((s) => s.field),
      ...(columns.attributes ? { attributes: 'any further column named attr_<name> or attributes.<name>' } : {}),
    },
  };
}

/** The cells of a record, 'blank' for a row with nothing in it (spreadsheets export those), or why it cannot be read. */
export function readCells(layout: CsvLayout, fields: string[]): { ok: true; value: RecordCells } | { ok: false; reason: string } | 'blank' {
  if (fields.every((f) => f.trim() === '')) return 'blank';
  if (fields.length !== layout.width) return { ok: false, reason: `${fields.length} fields where the header has ${layout.width}` };
  if (fields.some((f) => f.includes(REPLACEMENT_CHARACTER))) return { ok: false, reason: 'the row has bytes that are not valid UTF-8 text' };
  // PostgreSQL text cannot hold NUL; a row with one is binary, not text.
  if (fields.some((f) => f.includes('\u0000'))) return { ok: false, reason: 'the row has a NUL character' };
  const cells: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [index, field] of layout.fields) {
    const value = cellText(fields[index]!);
    if (value !== '') cells[field] = value;
  }
  for (const [index, name] of layout.attributes) {
    const value = cellText(fields[index]!);
    if (value !== '') attributes[name] = value;
  }
  return { ok: true, value: { cells, attributes } };
}

/** Trimmed, and in NFC so that `ã` typed as a + combining tilde compares and counts like the one-letter `ã`. */
function cellText(raw: string): string {
  const text = raw.trim();
  return NON_ASCII.test(text) ? text.normalize('NFC') : text;
}

function columnKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}
