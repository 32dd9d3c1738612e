/**
 * What changed between two versions of a record, field by field, for the audit log: nested objects and
 * lists of objects are followed down to the values that differ (`steps.2.content.gn.body`); a list of
 * plain values (department codes) is one value. An absent field shows as null.
 */
import { isDeepStrictEqual } from 'node:util';

export type FieldChange = { from: unknown; to: unknown };
export type FieldChanges = Record<string, FieldChange>;

export function diffFields(before: unknown, after: unknown, path = ''): FieldChanges {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return Object.assign({}, ...keys.map((key) => diffFields(before[key], after[key], join(path, key))));
  }
  if (isListOfRecords(before) && isListOfRecords(after)) {
    const length = Math.max(before.length, after.length);
    return Object.assign({}, ...Array.from({ length }, (_, i) => diffFields(before[i], after[i], join(path, String(i)))));
  }
  if (isDeepStrictEqual(before ?? null, after ?? null)) return {};
  return { [path || '.']: { from: before ?? null, to: after ?? null } };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isListOfRecords(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every(isRecord);
}
