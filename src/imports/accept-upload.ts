/**
 * An import arriving over HTTP, read top to bottom:
 *   1. record the import, and store the body in import_chunks as it streams in;
 *   2. read the header from the first chunk: a file that lacks a required column is refused at once
 *      (400, listing the columns expected), whatever its size;
 *   3. a small file is imported at once and answered with its report (200); a large one is queued for
 *      a worker and answered with its id (202), to be followed at GET /v1/imports/:id.
 */
import type { Queue } from 'bullmq';
import { HttpError, badRequest } from '../http/errors.js';
import type { ImportJob } from '../runtime/queues.js';
import { headerFields } from './csv-records.js';
import { ImportFileError } from './file-error.js';
import { storeUpload, UploadTooLargeError, type StoredUpload } from './import-file.js';
import type { ImportKind } from './import-target.js';
import { createImport, failImport, findImport, listRejections, markReceived, type Rejection } from './imports-store.js';
import { headerLayout, runImport, type ImportDeps } from './run-import.js';

// Below both, an import takes a second or two: the caller may as well wait for the report.
const SMALL_FILE_BYTES = 512 * 1024;
const SMALL_FILE_LINES = 5_000;

export type UploadDeps = ImportDeps & { queue: Queue<ImportJob> };
export type UploadMeta = { filename: string | null; userId: number | null; requestId?: string };

export type ImmediateReport = { importId: number; created: number; updated: number; unchanged: number; rejected: Rejection[] };
export type Accepted = { status: 200; body: ImmediateReport } | { status: 202; body: { importId: number; status: 'queued' } };

export async function acceptUpload(deps: UploadDeps, kind: ImportKind, body: AsyncIterable<Buffer>, meta: UploadMeta): Promise<Accepted> {
  const importId = await createImport(deps.pool, kind, meta.filename, meta.userId);
  const stored = await store(deps, importId, body);
  try {
    const header = await headerFields(stored.head);
    if (!header) throw new ImportFileError('the file is empty');
    headerLayout(header, deps.targets[kind]);
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
    await failImport(deps.pool, importId, err.message);
    throw badRequest(err.message, err.details);
  }
  if (stored.bytes >= SMALL_FILE_BYTES || stored.lines > SMALL_FILE_LINES) {
    await deps.queue.add('import', { importId, ...(meta.requestId ? { requestId: meta.requestId } : {}) }, { jobId: `import-${importId}` });
    return { status: 202, body: { importId, status: 'queued' } };
  }
  try {
    await runImport(deps, importId);
  } catch (err) {
    await failImport(deps.pool, importId, 'internal error');
    throw err;
  }
  const done = (await findImport(deps.pool, importId))!;
  if (done.status === 'failed') throw badRequest(done.error ?? 'the import failed', { importId });
  return {
    status: 200,
    body: { importId, created: done.created, updated: done.updated, unchanged: done.unchanged, rejected: await listRejections(deps.pool, importId, 0, SMALL_FILE_LINES) },
  };
}

async function store(deps: UploadDeps, importId: number, body: AsyncIterable<Buffer>): Promise<StoredUpload> {
  try {
    const stored = await storeUpload(deps.pool, importId, body);
    await markReceived(deps.pool, importId, stored.bytes);
    return stored;
  } catch (err) {
    await failImport(deps.pool, importId, err instanceof UploadTooLargeError ? err.message : 'the upload was interrupted');
    if (err instanceof UploadTooLargeError) throw new HttpError(413, err.message);
    throw err;
  }
}
