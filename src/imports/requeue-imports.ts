/**
 * Imports left behind: one waiting for a worker whose job is gone (Redis lost its data) is queued again
 * (a job still there keeps its id, so nothing runs twice); an upload cut off by a crash, still
 * "receiving" an hour later, is failed and its stored chunks dropped.
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { ImportJob } from '../runtime/queues.js';

export const INTERRUPTED_UPLOAD = 'the upload was interrupted before the file was complete';

export async function requeueImports(pool: pg.Pool, queue: Queue<ImportJob>): Promise<{ requeued: number; abandoned: number }> {
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM imports WHERE status IN ('queued', 'running')`);
  if (rows.length) await queue.addBulk(rows.map((r) => ({ name: 'import', data: { importId: r.id }, opts: { jobId: `import-${r.id}` } })));
  const abandoned = await pool.query(
    `WITH failed AS (
       UPDATE imports SET status = 'failed', error = $1, finished_at = now()
       WHERE status = 'receiving' AND created_at < now() - interval '1 hour' RETURNING id
     )
     DELETE FROM import_chunks WHERE import_id IN (SELECT id FROM failed)`,
    [INTERRUPTED_UPLOAD],
  );
  return { requeued: rows.length, abandoned: abandoned.rowCount ?? 0 };
}
