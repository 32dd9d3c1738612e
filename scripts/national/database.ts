/**
 * The database the national benchmarks run on: their own (never the tests' or the service's), created
 * and migrated on first use, and loaded with the national data set when it does not hold it yet.
 */
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, ensureDatabase } from '../../src/runtime/migrations.js';
import { countsAt, type NationalOptions } from './generate.js';
import { loadNational } from './load.js';

export const NATIONAL_DATABASE_URL = process.env.NATIONAL_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campana_bench_national';

/**
 * The covering index proposed for audience previews (issue #3), created here until a migration adds it:
 * every filterable column, partial on contacts not erased, so that a preview is an index-only scan.
 */
export const AUDIENCE_INDEX = `CREATE INDEX IF NOT EXISTS "contacts_audience_idx" ON "contacts" ("role", "department", "language", "channel", "opted_out", "district", "school_code", "grade") WHERE "erased_at" IS NULL`;

export async function openNationalDatabase(): Promise<pg.Pool> {
  await ensureDatabase(NATIONAL_DATABASE_URL);
  await applyMigrations(NATIONAL_DATABASE_URL, path.resolve('prisma/migrations'));
  return new pg.Pool({ connectionString: NATIONAL_DATABASE_URL, max: 4 });
}

/** Loads the data set unless the database already holds about as many contacts as it has. */
export async function ensureNationalData(pool: pg.Pool, options: NationalOptions, log: (line: string) => void): Promise<void> {
  const { rows } = await pool.query<{ contacts: number }>('SELECT count(*)::int AS contacts FROM contacts');
  const expected = Object.values(countsAt(options.scale)).reduce((a, b) => a + b, 0);
  if (rows[0]!.contacts >= expected * 0.99) return;
  log(`loading the national data set (scale ${options.scale}) into ${new URL(NATIONAL_DATABASE_URL).pathname.slice(1)}…`);
  await loadNational(pool, options, log);
}
