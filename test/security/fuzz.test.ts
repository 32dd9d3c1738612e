/**
 * Hostile input at every route the app registers (found in its route catalog, so routes added later are
 * fuzzed too) and at both webhooks, signed so that they get past the signature check: values shaped by
 * each route's own schema with one part made hostile, hostile path parameters and query strings, and raw
 * payloads (broken JSON, encodings, CSV). Whatever comes in:
 *  - the answer is never a 5xx, and comes within a few seconds (no injected pg_sleep);
 *  - a 4xx says what is wrong in JSON (`message`);
 *  - a refused request changes nothing stored: every table's rows hash the same before and after.
 * Library routes (the docs' files, the admin-only queue dashboard) are left out.
 * FUZZ_RUNS sets the number of generated requests per route (default 25).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogRoute } from '../../src/http/route-catalog.js';
import { twilioSignature } from '../twilio-server/server.js';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';
import { hostileCsv, hostileVariantOf, PARAM_VALUES, RAW_PAYLOADS, shapedBy, type JsonSchema } from './fuzz-inputs.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const LIBRARY_ROUTES = ['/docs', '/admin/queues'];
const SLOW_MS = 5000;
// Columns written in the background on a read (a key's last use) are not "stored input".
const FINGERPRINT_COLUMNS: Record<string, string> = { api_keys: 'id, user_id, name, prefix, hash, expires_at, revoked_at' };
// A refused CSV upload is kept as a failed import, so that GET /v1/imports/:id can say why (its file is not kept).
const refusalRecords = (route: CatalogRoute) => (takesCsv(route) ? ['imports'] : []);

type FuzzRequest = { url: string; headers: Record<string, string>; payload?: string | Buffer };

describe('hostile input at every route', () => {
  let h: Harness;
  let routes: CatalogRoute[];
  let fingerprintSql: string;
  let examples: (route: CatalogRoute) => unknown[];
  let fuzzKey: string;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false, env: { RATE_LIMIT_API_PER_MINUTE: '1000000', RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000' } });
    routes = h.app.routeCatalog.filter((r) => !LIBRARY_ROUTES.some((prefix) => r.url.startsWith(prefix)));
    examples = documentedExamples((await (await fetch(`${h.baseUrl}/docs/json`)).json()) as OpenApi);
    const { rows } = await h.services.db.pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`);
    fingerprintSql = rows
      .map(({ name }) => `SELECT '${name}' AS t, count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM (SELECT ${FINGERPRINT_COLUMNS[name] ?? '*'} FROM "${name}") x`)
      .join(' UNION ALL ');
    // The fuzzer's own key is not number 1: DELETE /v1/api-keys/1 may well revoke the harness's key.
    fuzzKey = await createUserKey(h.services.db.pool, 'admin');
    // Something for ids to find (a contact, a draft campaign), and the school the documented examples name.
    await h.services.db.pool.query(`INSERT INTO schools (code, name, department, district) VALUES ('1101001', 'Escuela Fuzz', '11', '1101')`);
    await h.api('POST', '/v1/contacts', { phone: '0981 900 001', role: 'parent', name: 'Fuzz' });
    await h.api('POST', '/v1/campaigns', { name: 'Fuzz', steps: [{ sendAt: new Date(Date.now() + 86_400_000).toISOString(), content: { es: { body: 'Hola {{contact.name}}' } } }] });
  });
  afterAll(async () => h?.close());

  const fingerprint = async () => (await h.services.db.pool.query(fingerprintSql)).rows;

  /** Sends one request; returns what is wrong with the answer, or null. */
  async function problemWith(route: CatalogRoute, request: FuzzRequest): Promise<string | null> {
    const before = await fingerprint();
    const started = Date.now();
    const response = await h.app.inject({ method: route.method as 'GET', ...request });
    const elapsed = Date.now() - started;
    const where = `${route.method} ${request.url.slice(0, 200)} [${request.headers['content-type'] ?? ''}] ${String(request.payload ?? '').slice(0, 300)}`;
    if (response.statusCode >= 500) return `${response.statusCode} ${response.body.slice(0, 200)} for ${where}`;
    if (elapsed > SLOW_MS) return `took ${elapsed} ms for ${where}`;
    if (response.statusCode < 400) return null;
    if (String(response.headers['content-type']).startsWith('application/json')) {
      const message = (JSON.parse(response.body) as { message?: unknown }).message;
      if (typeof message !== 'string' || message.length < 4) return `${response.statusCode} without a message for ${where}`;
    }
    const after = await fingerprint();
    const changed = after.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[i]) && !refusalRecords(route).includes(row.t)).map((row) => row.t);
    return changed.length ? `${response.statusCode} but ${changed.join(', ')} changed for ${where}` : null;
  }

  /** Runs `check` for every route, collecting failures instead of stopping at the first route. */
  async function everyRoute(select: (route: CatalogRoute) => boolean, check: (route: CatalogRoute) => Promise<void>): Promise<string[]> {
    const failures: string[] = [];
    for (const route of routes.filter(select)) {
      try {
        await check(route);
      } catch (err) {
        // fast-check keeps the property's own error (the problem found) as the cause; its message has the seed.
        const replay = (err as Error).message.split('\n')[1];
        failures.push(`${route.method} ${route.url}: ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message} ${replay}`);
      }
    }
    return failures;
  }

  it('finds the routes to fuzz, webhooks included', () => {
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/v1/contacts', '/v1/campaigns', '/webhooks/twilio/status', '/webhooks/twilio/inbound']));
  });

  it('never fails or stores anything on schema-shaped input with one hostile part', async () => {
    const failures = await everyRoute(() => true, async (route) => {
      await fc.assert(
        fc.asyncProperty(requestFor(route, { h, key: fuzzKey }, examples(route)), async (request) => {
          const problem = await problemWith(route, request);
          if (problem) throw new Error(problem);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });
    expect(failures).toEqual([]);
  }, 600_000);

  it('never fails or stores anything on raw payloads: broken JSON, encodings and CSV', async () => {
    const failures = await everyRoute((r) => ['POST', 'PUT', 'PATCH'].includes(r.method), async (route) => {
      for (const raw of RAW_PAYLOADS) {
        const headers = { ...credentialsFor(route, { h, key: fuzzKey }, raw.payload.toString('latin1')), ...(raw.contentType ? { 'content-type': raw.contentType } : {}) };
        const request = { url: fillParams(route, () => '1'), headers, ...(raw.payload.length ? { payload: raw.payload } : {}) };
        const problem = await problemWith(route, request);
        if (problem) throw new Error(`${raw.name}: ${problem}`);
      }
    });
    expect(failures).toEqual([]);
  }, 600_000);
});

type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> } }>> };

/** The request body examples of each route, as its OpenAPI description documents them. */
function documentedExamples(doc: OpenApi) {
  return (route: CatalogRoute): unknown[] => {
    const content = Object.values(doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()]?.requestBody?.content ?? {})[0];
    if (!content) return [];
    return content.example !== undefined ? [content.example] : Object.values(content.examples ?? {}).map((e) => e.value);
  };
}

/** A generated request for `route`: hostile parameters, query string and body. */
function requestFor(route: CatalogRoute, caller: Caller, bodyExamples: unknown[]): fc.Arbitrary<FuzzRequest> {
  const schema = (route.schema ?? {}) as { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema; consumes?: string[] };
  const params = fc.array(fc.constantFrom(...PARAM_VALUES), { minLength: 4, maxLength: 4 });
  const query = schema.querystring ? fc.option(fc.oneof(shapedBy(schema.querystring), hostileVariantOf(schema.querystring)), { nil: undefined }) : fc.constant(undefined);
  const takesBody = ['POST', 'PUT', 'PATCH'].includes(route.method) && !takesCsv(route);
  const body = takesBody ? fc.oneof({ weight: 1, arbitrary: shapedBy(schema.body) }, { weight: 3, arbitrary: hostileVariantOf(schema.body, bodyExamples) }) : fc.constant(undefined);
  const csv = takesCsv(route) ? hostileCsv : fc.constant(undefined);
  return fc.tuple(params, query, body, csv).map(([values, q, b, file]) => {
    let next = 0;
    const url = fillParams(route, () => values[next++ % values.length]!) + queryString(q);
    if (file) return { url, headers: { ...credentialsFor(route, caller, ''), 'content-type': 'text/csv' }, payload: file };
    if (b === undefined) return { url, headers: credentialsFor(route, caller, '') };
    const form = route.url.startsWith('/webhooks/');
    const payload = form ? new URLSearchParams(formFields(b)).toString() : JSON.stringify(b) ?? 'null';
    return { url, headers: { ...credentialsFor(route, caller, form ? formFields(b) : '', url), 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }, payload };
  });
}

function takesCsv(route: CatalogRoute): boolean {
  return ((route.schema as { consumes?: string[] } | undefined)?.consumes ?? []).includes('text/csv');
}

function fillParams(route: CatalogRoute, value: () => string): string {
  return route.url.replace(/:(\w+)/g, () => encodeURIComponent(value())).replace(/\*$/, 'x');
}

function queryString(query: unknown): string {
  // URLSearchParams, unlike encodeURIComponent, takes lone surrogates (as U+FFFD) instead of throwing.
  if (typeof query !== 'object' || query === null) return query === undefined ? '' : `?${new URLSearchParams([['', String(query)]]).toString().slice(1)}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) search.append(key, typeof v === 'object' ? JSON.stringify(v) : String(v));
  return `?${search}`;
}

/** Twilio posts flat string fields; a nested hostile value arrives as its JSON text. */
function formFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { Body: JSON.stringify(body) ?? '' };
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']));
}

type Caller = { h: Harness; key: string };

/** An admin key for the API, a valid signature for webhooks (over the fields sent), nothing for the rest. */
function credentialsFor(route: CatalogRoute, { h, key }: Caller, fields: Record<string, string> | string, url = route.url): Record<string, string> {
  if (route.url.startsWith('/webhooks/')) {
    return { 'x-twilio-signature': twilioSignature(h.config.webhookAuthToken, h.config.publicBaseUrl + url, typeof fields === 'string' ? {} : fields) };
  }
  return route.permission ? { authorization: `Bearer ${key}` } : {};
}
