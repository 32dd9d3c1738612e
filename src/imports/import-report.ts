/** An import as GET /v1/imports/:id shows it: progress while it runs, the final counts and the rejected rows. */
import type { ImportRow, Rejection } from './imports-store.js';

export function rowsPerSecond(row: Pick<ImportRow, 'rows_done' | 'started_at' | 'finished_at'>, now: Date): number {
  if (!row.started_at) return 0;
  const seconds = ((row.finished_at ?? now).getTime() - row.started_at.getTime()) / 1000;
  return seconds > 0 ? Math.round(row.rows_done / seconds) : 0;
}

export function importJson(row: ImportRow, rejections: Rejection[], pageSize: number, now = new Date()) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    filename: row.filename,
    bytes: Number(row.bytes),
    rowsDone: row.rows_done,
    rowsPerSecond: rowsPerSecond(row, now),
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rejections: { items: rejections, nextAfter: rejections.length === pageSize ? rejections[rejections.length - 1]!.line : null },
  };
}
