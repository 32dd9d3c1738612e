/**
 * `npm run bench:import`: the national contacts file (about a million rows: the seed's CSV, written on
 * first use under .bench/) imported through the real endpoint and worker. The service runs as a child
 * process (API and workers together, `main.ts all`) on the national benchmark database, with no
 * contacts; the file is streamed to POST /v1/contacts/import and GET /v1/imports/:id followed until the
 * import ends. Then the same file again, which must change nothing. Prints rows per second and the peak
 * resident memory of the service process (the goal: under 400 MB).
 *   --scale 1   --seed 1
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AUDIENCE_INDEX, NATIONAL_DATABASE_URL, openNationalDatabase } from '../scripts/national/database.js';
import { writeNationalCsv } from '../scripts/national/csv-files.js';
import { loadSchools } from '../scripts/national/load.js';
import { freePort } from '../test/support/harness.js';
import { BENCH_REDIS_URL, sleep, startProcess, stop } from './support.js';

type ImportReport = { status: string; rowsDone: number; rowsPerSecond: number; created: number; updated: number; unchanged: number; rejected: number; error: string | null };

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } } });
const options = { scale: Number(values.scale), seed: Number(values.seed) };
const dir = path.resolve('.bench', `national-scale${options.scale}-seed${options.seed}`);
const file = path.join(dir, 'contacts.csv');
if (!existsSync(file)) {
  console.log(`writing the national CSV files into ${dir}…`);
  await writeNationalCsv(dir, options);
}

const pool = await openNationalDatabase();
await loadSchools(pool, options);
await pool.query('TRUNCATE contacts RESTART IDENTITY CASCADE');
// The index proposed for previews is maintained by every import: measured with it.
await pool.query(AUDIENCE_INDEX);

const port = await freePort();
const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
const service = startProcess('campana', 'src/main.ts', ['all'], {
  DATABASE_URL: NATIONAL_DATABASE_URL,
  REDIS_URL: BENCH_REDIS_URL,
  PORT: String(port),
  PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  CAMPANA_ADMIN_KEY: adminKey,
  QUEUE_PREFIX: '{bench-import}',
  RATE_LIMIT_API_PER_MINUTE: '100000',
  LOG_LEVEL: 'warn',
});
const base = `http://127.0.0.1:${port}`;
try {
  for (let tries = 0; !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); tries++) {
    if (tries > 120) throw new Error(`the service did not start:\n${service.output()}`);
    await sleep(250);
  }
  const first = await importFile('first import (every contact new)');
  const again = await importFile('same file again (nothing may change)');
  const { rows } = await pool.query<{ contacts: number }>('SELECT count(*)::int AS contacts FROM contacts');
  console.log(`\ncontacts stored: ${rows[0]!.contacts}; second import: ${again.created} created, ${again.updated} updated, ${again.unchanged} unchanged`);
  if (again.created || again.updated || again.unchanged !== first.created + first.updated + first.unchanged) console.log('!! the second import changed something');
  console.log(`peak resident memory of the service process (API + workers): ${service.peakRssMb().toFixed(0)} MB (goal: under 400 MB)`);
} finally {
  await stop([service]);
  await pool.end();
}

async function importFile(label: string): Promise<ImportReport> {
  console.log(`\n${label}: ${file}`);
  const started = Date.now();
  const response = await fetch(`${base}/v1/contacts/import?filename=contacts.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const accepted = (await response.json()) as { importId: number; status: string };
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}: ${JSON.stringify(accepted)}`);
  const uploaded = Date.now();
  console.log(`  uploaded in ${((uploaded - started) / 1000).toFixed(1)} s, import ${accepted.importId} queued; service ${residentMb(service.process.pid)} MB`);
  for (;;) {
    await sleep(2000);
    const report = (await fetch(`${base}/v1/imports/${accepted.importId}?limit=1`, { headers: { authorization: `Bearer ${adminKey}` } }).then((r) => r.json())) as ImportReport;
    console.log(`  ${report.status}: ${report.rowsDone} rows read (${report.rowsPerSecond}/s), ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected; service ${residentMb(service.process.pid)} MB`);
    if (report.status === 'failed') throw new Error(`the import failed: ${report.error}`);
    if (report.status !== 'completed') continue;
    const seconds = (Date.now() - started) / 1000;
    console.log(`  done: ${report.rowsDone} rows in ${seconds.toFixed(1)} s from the first byte sent: ${Math.round(report.rowsDone / seconds)} rows/s end to end (${report.rowsPerSecond} rows/s in the worker)`);
    return report;
  }
}

/** Resident memory of a live process now (VmRSS). */
function residentMb(pid: number | undefined): number {
  const match = pid ? readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/) : null;
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}
