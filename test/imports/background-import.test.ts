/**
 * A file too large to import within its request: answered 202, run by the imports worker (in a thread
 * of its own), followed through GET /v1/imports/:id while it runs, then its report paged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';
import { csv, uploadCsv } from './upload.js';

const ROWS = 12_000;
const LANDLINES = [17, 4_000, 11_999]; // data rows written as Asunción landlines

function largeFile(): string {
  const rows = [['phone', 'name', 'role', 'language', 'channel', 'attr_estudiante']];
  for (let i = 0; i < ROWS; i++) {
    const phone = LANDLINES.includes(i) ? `021 ${String(100_000 + i).slice(-6)}` : `0971 ${String(i).padStart(6, '0')}`;
    rows.push([phone, `Madre ${i}`, 'parent', i % 3 ? 'es' : 'gn', i % 4 ? 'whatsapp' : 'sms', `Estudiante ${i}`]);
  }
  return csv(rows);
}

describe('a large import in the background', () => {
  let h: Harness;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ env: { RATE_LIMIT_API_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h?.services.queues.imports.obliterate({ force: true }).catch(() => undefined);
    await h?.close();
  });

  it('answers 202 at once, shows progress while it runs, then the final counts and rejected rows page by page', async () => {
    const file = largeFile();
    expect(file.length).toBeGreaterThan(512 * 1024);
    const response = await fetch(`${h.baseUrl}/v1/contacts/import?filename=padres.csv`, { method: 'POST', headers: { authorization: `Bearer ${h.adminKey}`, 'content-type': 'text/csv; charset=utf-8' }, body: file });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { importId: number; status: string };
    expect(accepted.status).toBe('queued');
    expect(response.headers.get('location')).toBe(`/v1/imports/${accepted.importId}`);

    const seen: Array<{ status: string; rowsDone: number; applied: number }> = [];
    const report = await waitFor('the import to finish', async () => {
      const { body } = await h.api('GET', `/v1/imports/${accepted.importId}`);
      seen.push({ status: body.status, rowsDone: body.rowsDone, applied: body.created + body.updated + body.unchanged });
      return ['completed', 'failed'].includes(body.status) && body;
    }, 60_000, 25);

    expect(report).toMatchObject({ kind: 'contacts', status: 'completed', filename: 'padres.csv', bytes: Buffer.byteLength(file), rowsDone: ROWS, created: ROWS - LANDLINES.length, updated: 0, unchanged: 0, rejected: LANDLINES.length, error: null });
    expect(report.rowsPerSecond).toBeGreaterThan(0);
    // Progress only moves forward, and was visible before the end.
    expect(seen.some((s) => s.status === 'running')).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.rowsDone).toBeGreaterThanOrEqual(seen[i - 1]!.rowsDone);
      expect(seen[i]!.applied).toBeGreaterThanOrEqual(seen[i - 1]!.applied);
    }

    const lines = LANDLINES.map((row) => row + 2);
    const first = await h.api('GET', `/v1/imports/${accepted.importId}?limit=2`);
    expect(first.body.rejections).toEqual({ items: lines.slice(0, 2).map((line) => ({ line, reason: expect.stringContaining('landline') })), nextAfter: lines[1] });
    const rest = await h.api('GET', `/v1/imports/${accepted.importId}?limit=2&after=${first.body.rejections.nextAfter}`);
    expect(rest.body.rejections).toEqual({ items: [{ line: lines[2], reason: expect.stringContaining('landline') }], nextAfter: null });

    const { rows } = await h.services.db.pool.query(`SELECT count(*)::int AS contacts, count(*) FILTER (WHERE language = 'gn')::int AS gn FROM contacts`);
    expect(rows[0]).toEqual({ contacts: ROWS - LANDLINES.length, gn: Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 3 === 0 && !LANDLINES.includes(i)).length });
    const chunks = await h.services.db.pool.query('SELECT count(*)::int AS n FROM import_chunks WHERE import_id = $1', [accepted.importId]);
    expect(chunks.rows[0].n).toBe(0);
  });

  it('says 404 for an import that does not exist', async () => {
    expect((await h.api('GET', '/v1/imports/999999')).status).toBe(404);
  });
});
