/**
 * One import, run in a thread of its own by import.worker.ts: its own small heap, its own database
 * connections and event loop, so that reading a million rows neither swells the heap of the service
 * process (whose large live heap lets garbage pile up far longer before it is collected) nor holds up the
 * requests and jobs that process serves meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { ContactImportRules } from '../src/contacts/contacts-import.js';
import { importTargets } from '../src/imports/import-targets.js';
import { runImport } from '../src/imports/run-import.js';

export type ImportThreadData = { importId: number; databaseUrl: string; rules: ContactImportRules };

const { importId, databaseUrl, rules } = workerData as ImportThreadData;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
try {
  parentPort!.postMessage(await runImport({ pool, targets: importTargets(rules) }, importId));
} finally {
  await pool.end();
}
