/**
 * The staged file: every checked row of one import in a temporary table (`import_rows`) on the import's own
 * connection, so that what needs the whole file is done in SQL, set-based, never in memory:
 *   - checks against the database (unknown school codes) in one statement per check;
 *   - duplicates: of rows with the same key, the last one wins and the others are rejected;
 *   - applying, in batches of rows: insert the new records, then update the stored ones that differ.
 * A temporary table disappears with its connection, so a crashed import leaves nothing behind.
 */
import type pg from 'pg';
import { join, raw, sql, toQuery, type Sql } from '../shared/sql.js';
import type { ImportTarget, StagedRow } from './import-target.js';
import { storableText } from './imports-store.js';

export async function createStaging(client: pg.PoolClient, target: ImportTarget): Promise<void> {
  const columns = Object.entries(target.staging).map(([name, type]) => `${name} ${type}`).join(', ');
  await client.query(`CREATE TEMP TABLE import_rows (line integer PRIMARY KEY, ${columns})`);
}

export async function dropStaging(client: pg.PoolClient): Promise<void> {
  await client.query('DROP TABLE IF EXISTS import_rows');
}

/** Writes checked rows in one statement: one array per column, unnested. */
export async function stageRows(client: pg.PoolClient, target: ImportTarget, rows: Array<{ line: number; row: StagedRow }>): Promise<void> {
  if (rows.length === 0) return;
  const arrays = Object.entries(target.staging).map(([name, type]) => {
    const values = rows.map(({ row }) => row[name] ?? null);
    const encoded = type === 'jsonb' ? values.map((v) => (v === null ? null : JSON.stringify(v))) : values;
    return sql`${encoded}::${raw(type)}[]`;
  });
  const names = Object.keys(target.staging).join(', ');
  await client.query(toQuery(sql`INSERT INTO import_rows (line, ${raw(names)}) SELECT * FROM unnest(${rows.map((r) => r.line)}::int[], ${join(arrays, ', ')})`));
}

export async function recordRejections(client: pg.PoolClient, importId: number, rejections: Array<{ line: number; reason: string }>): Promise<void> {
  if (rejections.length === 0) return;
  await client.query(
    `INSERT INTO import_rejections (import_id, line, reason) SELECT $1, line, reason FROM unnest($2::int[], $3::text[]) AS r(line, reason)
     ON CONFLICT DO NOTHING`,
    [importId, rejections.map((r) => r.line), rejections.map((r) => storableText(r.reason))],
  );
}

/** The checks that need the database, then duplicates, then completion; every rejected row leaves the staged file. */
export async function settleStaging(client: pg.PoolClient, target: ImportTarget, importId: number): Promise<void> {
  for (const check of target.checks) {
    await client.query(toQuery(sql`
      WITH rejected AS (DELETE FROM import_rows s WHERE ${check.where} RETURNING s.line, ${check.reason} AS reason)
      INSERT INTO import_rejections (import_id, line, reason) SELECT ${importId}, line, reason FROM rejected
      ON CONFLICT DO NOTHING`));
  }
  const key = target.key.join(', ');
  await client.query(toQuery(sql`
    WITH last AS (SELECT ${raw(key)}, max(line) AS last_line FROM import_rows GROUP BY ${raw(key)} HAVING count(*) > 1),
    rejected AS (
      DELETE FROM import_rows s USING last l
      WHERE ${raw(target.key.map((k) => `s.${k} = l.${k}`).join(' AND '))} AND s.line < l.last_line
      RETURNING s.line, l.last_line)
    INSERT INTO import_rejections (import_id, line, reason)
    SELECT ${importId}, line, ${`same ${target.keyLabel} as line `}::text || last_line FROM rejected
    ON CONFLICT DO NOTHING`));
  for (const statement of target.complete) await client.query(toQuery(statement));
}

/**
 * The line after which applying continues, when `applied` staged rows were applied before (a retried
 * job): the same file stages the same rows in the same order, so those are the first `applied` of them.
 */
export async function resumeLine(client: pg.PoolClient, applied: number): Promise<number> {
  if (applied === 0) return 0;
  const { rows } = await client.query<{ line: number }>('SELECT line FROM import_rows ORDER BY line OFFSET $1 LIMIT 1', [applied - 1]);
  return rows[0]?.line ?? Number.MAX_SAFE_INTEGER;
}

export type AppliedBatch = { lastLine: number; rows: number; created: number; updated: number };

/**
 * Applies the next `size` staged rows after `afterLine`, in the caller's transaction: inserts what is
 * new, then updates what differs. Insert first: a record another writer adds in between is then updated
 * by the second statement (which sees it), not lost. Rows neither created nor updated were unchanged.
 */
export async function applyBatch(client: pg.PoolClient, target: ImportTarget, afterLine: number, size: number): Promise<AppliedBatch | null> {
  const { rows } = await client.query<{ last_line: number | null; rows: number }>(
    'SELECT max(line) AS last_line, count(*)::int AS rows FROM (SELECT line FROM import_rows WHERE line > $1 ORDER BY line LIMIT $2) b',
    [afterLine, size],
  );
  const batch = rows[0]!;
  if (batch.last_line === null) return null;
  const inBatch = sql`s.line > ${afterLine} AND s.line <= ${batch.last_line}`;
  const key = target.key.join(', ');
  const created = await client.query(toQuery(sql`
    INSERT INTO ${raw(target.table)} (${raw(target.key.concat(target.written.map((c) => c.name)).join(', '))})
    SELECT ${raw(target.key.map((k) => `s.${k}`).join(', '))}, ${join(target.written.map((c) => c.insert), ', ')}
    FROM import_rows s WHERE ${inBatch}
    ON CONFLICT (${raw(key)}) DO NOTHING`));
  // Every row was new (a first import): there is nothing stored to compare with.
  if (created.rowCount === batch.rows) return { lastLine: batch.last_line, rows: batch.rows, created: batch.rows, updated: 0 };
  const stored = raw(`(${target.written.map((c) => `t.${c.name}`).join(', ')})`);
  const wanted = sql`(${join(target.written.map((c) => c.update), ', ')})`;
  const assignments = target.written.map((c) => sql`${raw(c.name)} = ${c.update}`);
  if (target.stamp) assignments.push(raw(`${target.stamp} = now()`));
  const updated = await client.query(toQuery(sql`
    UPDATE ${raw(target.table)} t SET ${join(assignments, ', ')}
    FROM import_rows s
    WHERE ${raw(target.key.map((k) => `t.${k} = s.${k}`).join(' AND '))} AND ${inBatch}
      AND ${stored} IS DISTINCT FROM ${wanted}`));
  return { lastLine: batch.last_line, rows: batch.rows, created: created.rowCount ?? 0, updated: updated.rowCount ?? 0 };
}
