/**
 * An import whose run fails halfway through applying (a crash, a lost connection) is run again by its
 * job's next attempt: it resumes after the last batch applied, and the counts stay exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTargets } from '../../src/imports/import-targets.js';
import { runImport, type ImportDeps } from '../../src/imports/run-import.js';
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';
import { csv, uploadCsv } from './upload.js';

const ROWS = 12_000;
const phone = (i: number) => `0971 ${String(i).padStart(6, '0')}`;

describe('an import interrupted while applying', () => {
  let h: Harness;
  let deps: ImportDeps;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    deps = { pool: h.services.db.pool, targets: importTargets({ languages: h.config.languages, defaultTimezone: h.config.defaultTimezone }) };
  });
  afterAll(async () => {
    await h?.services.db.pool.query('DROP TRIGGER IF EXISTS fail_once ON contacts; DROP FUNCTION IF EXISTS fail_once()');
    await h?.services.queues.imports.obliterate({ force: true }).catch(() => undefined);
    await h?.close();
  });

  it('resumes after the last batch applied, counting every row once', async () => {
    const rows = [['phone', 'role'], ...Array.from({ length: ROWS }, (_, i) => [phone(i), 'parent'])];
    const { status, body } = await uploadCsv(h, '/v1/contacts/import', csv(rows));
    expect(status).toBe(202);
    const importId = body.importId as number;
    const db = h.services.db.pool;
    // The row at 11,000 lies in the second batch applied: the first commits, the second fails.
    await db.query(`CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'connection lost'; END $$`);
    await db.query(`CREATE TRIGGER fail_once BEFORE INSERT ON contacts FOR EACH ROW WHEN (NEW.phone = '+595971011000') EXECUTE FUNCTION fail_once()`);

    await expect(runImport(deps, importId)).rejects.toThrow('connection lost');
    const interrupted = (await db.query('SELECT status, created, updated, unchanged FROM imports WHERE id = $1', [importId])).rows[0];
    expect(interrupted).toEqual({ status: 'running', created: 10_000, updated: 0, unchanged: 0 });
    expect((await db.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n).toBe(10_000);

    await db.query('DROP TRIGGER fail_once ON contacts');
    expect(await runImport(deps, importId)).toBe('completed');
    const done = (await db.query('SELECT status, rows_done, created, updated, unchanged, rejected FROM imports WHERE id = $1', [importId])).rows[0];
    expect(done).toEqual({ status: 'completed', rows_done: ROWS, created: ROWS, updated: 0, unchanged: 0, rejected: 0 });
    expect((await db.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n).toBe(ROWS);
    // Once completed, a duplicate job finds nothing to do.
    expect(await runImport(deps, importId)).toBe('not runnable');
  });
});
