/**
 * Running one import, read top to bottom:
 *   1. on a connection of its own, lock the import (two workers never run the same one) and take it:
 *      it is queued, or an earlier run of it crashed;
 *   2. read the stored file back as a stream: decode, split into records, map the header, check each row;
 *      stage the good rows and record the rejected ones, READ_BATCH rows at a time, counting rows read;
 *   3. settle the staged file in SQL: checks against the database, duplicates (the last row wins);
 *   4. apply it in transactions of APPLY_BATCH rows, each adding its counts to the import in the same
 *      transaction: a retried job resumes after the last batch applied, and the counts stay exact;
 *   5. mark the import completed and drop the stored file.
 * Nothing is applied before the whole file is read, so a file that stops being CSV halfway changes
 * nothing; a row is applied whole or not at all.
 */
import type pg from 'pg';
import { csvRecords } from './csv-records.js';
import { readCells, readHeader, type CsvLayout } from './csv-layout.js';
import { decodeText } from './encoding.js';
import { ImportFileError } from './file-error.js';
import { readChunks } from './import-file.js';
import type { ImportKind, ImportTarget, StagedRow } from './import-target.js';
import { completeImport, failImport, recordApplied, recordRead, recountRejections, startImport, type Rejection } from './imports-store.js';
import { applyBatch, createStaging, dropStaging, recordRejections, resumeLine, settleStaging, stageRows } from './staging.js';

export type ImportDeps = { pool: pg.Pool; targets: Record<ImportKind, ImportTarget> };

export type ImportRun = 'completed' | 'failed' | 'busy' | 'not runnable';

// Small batches: their rows die young (cheap garbage), and the database writes one while the next is read.
const READ_BATCH = 1_000;
// listmonk commits every 10,000 rows too: long enough to be fast, short enough not to hold locks long.
const APPLY_BATCH = 10_000;
// pg_try_advisory_lock(key, importId): the first key keeps import locks apart from any other use.
const IMPORT_LOCK = 0x494d50;

export async function runImport(deps: ImportDeps, importId: number): Promise<ImportRun> {
  const client = await deps.pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [IMPORT_LOCK, importId]);
    if (!rows[0]!.locked) return 'busy';
    const started = await startImport(client, importId);
    if (!started) return 'not runnable';
    const target = deps.targets[started.kind];
    await createStaging(client, target);
    try {
      await readFile(client, target, importId, readChunks(deps.pool, importId));
    } catch (err) {
      if (!(err instanceof ImportFileError)) throw err;
      await failImport(client, importId, err.message);
      await dropStaging(client);
      return 'failed';
    }
    await settleStaging(client, target, importId);
    await recountRejections(client, importId);
    await applyStaged(client, target, importId, started.applied);
    await completeImport(client, importId);
    await dropStaging(client);
    return 'completed';
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // After a failure the connection is closed rather than reused: its open transaction, staging table and
    // advisory lock go with it. Otherwise the lock is given back before the connection returns to the pool.
    if (!broken) await client.query('SELECT pg_advisory_unlock($1, $2)', [IMPORT_LOCK, importId]);
    client.release(broken);
  }
}

/** The file's header as a layout of columns, or the file is refused with what the header lacks. */
export function headerLayout(fields: string[], target: ImportTarget): CsvLayout {
  const header = readHeader(fields, target.columns);
  if (header.ok) return header.layout;
  throw new ImportFileError(`the header does not fit a ${target.kind} file: ${header.problems.join('; ')}`, { problems: header.problems, expected: header.expected });
}

async function readFile(client: pg.PoolClient, target: ImportTarget, importId: number, chunks: AsyncIterable<Buffer>): Promise<void> {
  let layout: CsvLayout | undefined;
  let batch: ReadBatch = { staged: [], rejected: [], rows: 0 };
  // Each batch is written while the next one is read, so that parsing and the database work at once.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    writing = writeBatch(client, target, importId, batch);
    writing.catch(() => undefined); // awaited at the next flush; until then not an unhandled rejection
    batch = { staged: [], rejected: [], rows: 0 };
  };
  for await (const record of csvRecords(decodeText(chunks))) {
    if (!layout) {
      layout = headerLayout(record.fields, target);
      continue;
    }
    const cells = readCells(layout, record.fields);
    if (cells === 'blank') continue;
    batch.rows++;
    const checked = cells.ok ? target.checkRow(cells.value) : cells;
    if (checked.ok) batch.staged.push({ line: record.line, row: checked.value });
    else batch.rejected.push({ line: record.line, reason: checked.reason });
    if (batch.rows >= READ_BATCH) await flush();
  }
  if (!layout) throw new ImportFileError('the file is empty');
  await flush();
  await writing;
}

type ReadBatch = { staged: Array<{ line: number; row: StagedRow }>; rejected: Rejection[]; rows: number };

async function writeBatch(client: pg.PoolClient, target: ImportTarget, importId: number, batch: ReadBatch): Promise<void> {
  await stageRows(client, target, batch.staged);
  await recordRejections(client, importId, batch.rejected);
  await recordRead(client, importId, batch.rows, batch.rejected.length);
}

async function applyStaged(client: pg.PoolClient, target: ImportTarget, importId: number, alreadyApplied: number): Promise<void> {
  let afterLine = await resumeLine(client, alreadyApplied);
  for (;;) {
    // A failure leaves the transaction open; runImport then closes the connection, which rolls it back.
    await client.query('BEGIN');
    const batch = await applyBatch(client, target, afterLine, APPLY_BATCH);
    if (batch) await recordApplied(client, importId, { created: batch.created, updated: batch.updated, unchanged: batch.rows - batch.created - batch.updated });
    await client.query('COMMIT');
    if (!batch) return;
    afterLine = batch.lastLine;
  }
}
