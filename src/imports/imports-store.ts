/**
 * An import's row in `imports` through its life: receiving (the upload is being stored) → queued →
 * running (rows read, then applied, counts growing) → completed or failed. The uploaded file itself lives
 * in `import_chunks` until the import ends.
 */
import type pg from 'pg';
import type { ImportKind } from './import-target.js';

type Queryable = Pick<pg.Pool, 'query'>;

export type ImportRow = {
  id: number;
  kind: ImportKind;
  status: 'receiving' | 'queued' | 'running' | 'completed' | 'failed';
  filename: string | null;
  bytes: string;
  rows_done: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

export type Rejection = { line: number; reason: string };

export async function createImport(db: Queryable, kind: ImportKind, filename: string | null, createdById: number | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO imports (kind, filename, created_by_id) VALUES ($1, $2, $3) RETURNING id', [kind, filename, createdById]);
  return rows[0]!.id;
}

export async function markReceived(db: Queryable, id: number, bytes: number): Promise<void> {
  await db.query(`UPDATE imports SET status = 'queued', bytes = $2 WHERE id = $1`, [id, bytes]);
}

/**
 * Takes a queued import (or one whose earlier run crashed) and starts reading it anew; what earlier runs
 * applied stays counted, and `applied` says how many staged rows to pass over.
 */
export async function startImport(db: Queryable, id: number): Promise<{ kind: ImportKind; applied: number } | null> {
  const { rows } = await db.query<{ kind: ImportKind; applied: number }>(
    `UPDATE imports SET status = 'running', started_at = COALESCE(started_at, now()), rows_done = 0, rejected = 0
     WHERE id = $1 AND status IN ('queued', 'running')
     RETURNING kind, created + updated + unchanged AS applied`,
    [id],
  );
  if (!rows[0]) return null;
  await db.query('DELETE FROM import_rejections WHERE import_id = $1', [id]);
  return rows[0];
}

export async function recordRead(db: Queryable, id: number, rows: number, rejected: number): Promise<void> {
  await db.query('UPDATE imports SET rows_done = rows_done + $2, rejected = rejected + $3 WHERE id = $1', [id, rows, rejected]);
}

export async function recordApplied(db: Queryable, id: number, counts: { created: number; updated: number; unchanged: number }): Promise<void> {
  await db.query('UPDATE imports SET created = created + $2, updated = updated + $3, unchanged = unchanged + $4 WHERE id = $1', [id, counts.created, counts.updated, counts.unchanged]);
}

/** Once the whole file is read and checked: the set-based checks rejected rows that were not counted one by one. */
export async function recountRejections(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE imports SET rejected = (SELECT count(*) FROM import_rejections WHERE import_id = $1) WHERE id = $1', [id]);
}

export async function completeImport(db: Queryable, id: number): Promise<void> {
  await db.query(`UPDATE imports SET status = 'completed', finished_at = now() WHERE id = $1`, [id]);
  await db.query('DELETE FROM import_chunks WHERE import_id = $1', [id]);
}

export async function failImport(db: Queryable, id: number, message: string): Promise<void> {
  await db.query(`UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, storableText(message)]);
  await db.query('DELETE FROM import_chunks WHERE import_id = $1', [id]);
}

export async function findImport(db: Queryable, id: number): Promise<ImportRow | undefined> {
  const { rows } = await db.query<ImportRow>('SELECT * FROM imports WHERE id = $1', [id]);
  return rows[0];
}

export async function listRejections(db: Queryable, id: number, afterLine: number, limit: number): Promise<Rejection[]> {
  const { rows } = await db.query<Rejection>('SELECT line, reason FROM import_rejections WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3', [id, afterLine, limit]);
  return rows;
}

/**
 * Messages and reasons quote what a file holds, and a file may hold NUL, which PostgreSQL text cannot:
 * it is written as the escape \u0000 instead.
 */
export function storableText(text: string): string {
  return text.replace(/\u0000/g, '\\u0000');
}
