/**
 * Loading the national data set straight into PostgreSQL: rows go in batches of BATCH_ROWS, one
 * multi-row INSERT per batch (one array per column, unnested), upserting so that loading twice changes
 * nothing. A row loaded is a row an import would write: the same columns (the imports' staging ones),
 * contacts with their school's department and district, none of the contacts an import rejects
 * (landlines, numbers missing a digit), and of two contacts sharing a phone the later one.
 */
import pg from 'pg';
import { CONTACT_STAGING } from '../../src/contacts/contacts-import.js';
import type { ImportTarget } from '../../src/imports/import-target.js';
import { inTransaction } from '../../src/runtime/database.js';
import { resultsImport } from '../../src/schools/results-import.js';
import { schoolsImport } from '../../src/schools/schools-import.js';
import { generateContacts, generateResults, generateSchools, type NationalContact, type NationalOptions, type NationalSchool } from './generate.js';

const BATCH_ROWS = 10_000;
const CONTACTS_TABLE = { table: 'contacts', key: ['phone'], staging: CONTACT_STAGING };

export type Loaded = { schools: number; results: number; contacts: number };

export async function loadNational(pool: pg.Pool, options: NationalOptions, log: (line: string) => void = () => undefined): Promise<Loaded> {
  const { schools, results } = await loadSchools(pool, options, log);
  const contacts = await loadContacts(pool, schools, options, log);
  return { schools: schools.length, results, contacts };
}

/** Schools and their results; returns the schools (contacts refer to them) and how many results. */
export async function loadSchools(pool: pg.Pool, options: NationalOptions, log: (line: string) => void = () => undefined): Promise<{ schools: NationalSchool[]; results: number }> {
  const schools = generateSchools(options);
  await insertBatches(pool, schoolsImport, schools.map(schoolRow));
  const results = [...generateResults(schools, options.seed)];
  await insertBatches(pool, resultsImport, results.map((r) => [r.schoolCode, r.grade, r.subject, r.level, r.score]));
  await pool.query('ANALYZE schools, school_results');
  log(`${schools.length} schools, ${results.length} results`);
  return { schools, results: results.length };
}

export async function loadContacts(pool: pg.Pool, schools: NationalSchool[], options: NationalOptions, log: (line: string) => void = () => undefined): Promise<number> {
  const byCode = new Map(schools.map((s) => [s.code, s]));
  const started = Date.now();
  const rows = (function* () {
    for (const contact of generateContacts(schools, options)) if (contact.e164) yield contactRow(contact, byCode);
  })();
  const written = await writeContacts(pool, rows);
  await pool.query('ANALYZE contacts');
  log(`${written} contact rows written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return written;
}

function schoolRow(s: NationalSchool): unknown[] {
  return [s.code, s.name, s.department, s.district, s.zone, JSON.stringify({ sector: s.sector })];
}

function contactRow(c: NationalContact, schools: Map<string, NationalSchool>): unknown[] {
  const school = c.schoolCode ? schools.get(c.schoolCode) : undefined;
  return [
    c.e164,
    c.name,
    c.role,
    c.language,
    c.channel,
    c.schoolCode,
    c.department ?? school?.department ?? null,
    c.district ?? school?.district ?? null,
    c.grade,
    c.timezone ?? 'America/Asuncion',
    JSON.stringify(c.attributes),
  ];
}

/**
 * All contacts in one transaction on one connection, the next batch generated while the last is written.
 * Into an empty table, foreign keys and secondary indexes are dropped and put back at the end, in the
 * same transaction (a failed load restores them): building an index once is several times faster than
 * updating it a million times, which with the foreign key check is most of a load's time.
 */
async function writeContacts(pool: pg.Pool, rows: Iterable<unknown[]>): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM contacts LIMIT 1');
    const rebuild = rowCount ? [] : await dropChecksAndIndexes(client, 'contacts');
    let written = 0;
    let writing: Promise<number> = Promise.resolve(0);
    let batch: unknown[][] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length < BATCH_ROWS) continue;
      const next = insertBatch(client, CONTACTS_TABLE, batch);
      written += await writing;
      [writing, batch] = [next, []];
    }
    written += (await writing) + (await insertBatch(client, CONTACTS_TABLE, batch));
    for (const statement of rebuild) await client.query(statement);
    return written;
  });
}

/**
 * Drops a table's foreign keys and its indexes other than the primary key and unique ones (which the
 * upsert needs); returns the statements that put them back. Checking a foreign key once for the whole
 * table is an anti-join; checking it row by row is a trigger call per row.
 */
async function dropChecksAndIndexes(client: pg.PoolClient, table: string): Promise<string[]> {
  const name = pg.escapeIdentifier(table);
  const { rows: keys } = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`,
    [table],
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = $1::regclass AND NOT x.indisunique AND NOT x.indisprimary`,
    [table],
  );
  for (const key of keys) await client.query(`ALTER TABLE ${name} DROP CONSTRAINT ${pg.escapeIdentifier(key.name)}`);
  for (const index of indexes) await client.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
  return [
    ...indexes.map((index) => index.definition),
    ...keys.map((key) => `ALTER TABLE ${name} ADD CONSTRAINT ${pg.escapeIdentifier(key.name)} ${key.definition}`),
  ];
}

/** A table as the imports write it: its name, its key, and its columns in the order rows give them. */
type Table = Pick<ImportTarget, 'table' | 'key' | 'staging'>;

async function insertBatches(pool: pg.Pool, table: Table, rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) await insertBatch(pool, table, rows.slice(i, i + BATCH_ROWS));
}

/** One multi-row upsert; a batch never holds two rows with the same key. */
async function insertBatch(db: Pick<pg.Pool, 'query'>, { table, key, staging }: Table, rows: unknown[][]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.entries(staging);
  const updates = columns.filter(([name]) => !key.includes(name)).map(([name]) => `${name} = excluded.${name}`);
  await db.query(
    `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')})
     SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    columns.map((_, i) => rows.map((row) => row[i])),
  );
  return rows.length;
}
