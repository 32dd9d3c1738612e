/**
 * What an import of one kind (contacts, schools, school results) is made of: its columns, the check of one
 * row, the staging columns the checked rows are written to, the checks that need the database, and how a
 * row becomes a record. run-import.ts does everything else the same way for every kind.
 */
import type { Checked } from '../contacts/contact-input.js';
import { raw, sql, type Sql } from '../shared/sql.js';
import type { ImportColumns, RecordCells } from './csv-layout.js';

export type ImportKind = 'contacts' | 'schools' | 'results';

/** A checked row, by staging column name. */
export type StagedRow = Record<string, unknown>;

/** Staging columns by name, with their SQL type, in the order rows are written. */
export type StagingColumns = Record<string, string>;

/** How one column of the target table is written, from staged row `s`, over the stored record `t` when there is one. */
export type WrittenColumn = { name: string; insert: Sql; update: Sql };

export type ImportTarget = {
  kind: ImportKind;
  columns: ImportColumns;
  /** Every check that needs no database, with the reason a row is rejected. */
  checkRow(record: RecordCells): Checked<StagedRow>;
  /** Typed columns of the staged file (a row's line number comes on top). */
  staging: StagingColumns;
  table: string;
  /** The columns identifying a record, named alike in `staging` and `table`: upsert key, and duplicates within a file. */
  key: string[];
  /** What two rows with the same key share, for "same <keyLabel> as line N". */
  keyLabel: string;
  written: WrittenColumn[];
  /** A timestamp column set when a record changes. */
  stamp?: string;
  /** Checks against the database, on the whole staged file at once: rows matching `where` are rejected with `reason`. */
  checks: Array<{ where: Sql; reason: Sql }>;
  /** Statements completing staged rows from the database, run after the checks. */
  complete: Sql[];
};

/** A column every row gives: written as given. */
export function givenColumn(name: string): WrittenColumn {
  return { name, insert: raw(`s.${name}`), update: raw(`s.${name}`) };
}

/** A column a row may leave empty: a new record gets `fallback` (or null), a stored one keeps its value. */
export function optionalColumn(name: string, fallback?: unknown): WrittenColumn {
  const staged = raw(`s.${name}`);
  return { name, insert: fallback === undefined ? staged : sql`COALESCE(${staged}, ${fallback})`, update: raw(`COALESCE(s.${name}, t.${name})`) };
}

/** A JSON object column: the keys a row gives are set, the others kept. */
export function mergedObjectColumn(name: string): WrittenColumn {
  return { name, insert: raw(`COALESCE(s.${name}, '{}')`), update: raw(`t.${name} || COALESCE(s.${name}, '{}')`) };
}

/** Rejects rows naming a school that does not exist. */
export function unknownSchoolCheck(column: string): { where: Sql; reason: Sql } {
  return {
    where: raw(`s.${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM schools sc WHERE sc.code = s.${column})`),
    reason: raw(`'unknown school code "' || s.${column} || '"'`),
  };
}
