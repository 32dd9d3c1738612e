/**
 * `npm run seed:national`: a synthetic but realistic Paraguay (schools, results, about a million contacts).
 *   --scale 0.01    a smaller country (default 1)
 *   --seed 7        another country, the same each time for the same seed (default 1)
 *   --csv <dir>     write schools.csv, results.csv and contacts.csv for the import endpoints instead
 *   --load          with --csv: load the database as well
 * The database is DATABASE_URL's (created and migrated if needed).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/runtime/config.js';
import { applyMigrations, ensureDatabase } from '../src/runtime/migrations.js';
import { writeNationalCsv } from './national/csv-files.js';
import { loadNational } from './national/load.js';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' }, csv: { type: 'string' }, load: { type: 'boolean', default: false } },
});
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!(scale > 0 && scale <= 10) || !Number.isInteger(seed)) {
  console.error('usage: seed-national [--scale 0<s<=10] [--seed N] [--csv <dir> [--load]]');
  process.exit(2);
}

const started = Date.now();
if (values.csv) {
  const files = await writeNationalCsv(values.csv, { scale, seed });
  console.log(`wrote ${files.schools}, ${files.results} and ${files.contacts} (${files.contactRows} contact rows)`);
}
if (!values.csv || values.load) {
  const { databaseUrl } = loadConfig();
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl, path.resolve('prisma/migrations'));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const loaded = await loadNational(pool, { scale, seed }, (line) => console.log(line));
  await pool.end();
  console.log(`loaded ${loaded.schools} schools, ${loaded.results} results and ${loaded.contacts} contacts into ${new URL(databaseUrl).pathname.slice(1)}`);
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
