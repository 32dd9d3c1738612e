/**
 * The OpenAPI document against the routes that exist: every route (but the docs' own files and the
 * queue dashboard) is described with its method and a summary, every request body has an example that
 * its route's schema accepts, and who may call it is stated.
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogRoute } from '../../src/http/route-catalog.js';
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';

type Operation = { summary?: string; security?: unknown[]; requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> } };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

const UNDOCUMENTED = ['/docs', '/admin/queues'];

describe('the OpenAPI document', () => {
  let h: Harness;
  let doc: Document;
  let routes: CatalogRoute[];

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    doc = (await (await fetch(`${h.baseUrl}/docs/json`)).json()) as Document;
    routes = h.app.routeCatalog.filter((r) => !UNDOCUMENTED.some((prefix) => r.url.startsWith(prefix)));
  });
  afterAll(async () => h?.close());

  const operationOf = (route: CatalogRoute) => doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];

  it('describes every route with its method, and no route that does not exist', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !operationOf(r)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const existing = new Set(routes.map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`));
    expect(documented.filter((d) => !existing.has(d))).toEqual([]);
  });

  it('gives every operation a summary', () => {
    expect(routes.filter((r) => !operationOf(r)?.summary).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('gives every request body an example that the route itself accepts', () => {
    const problems: string[] = [];
    for (const route of routes.filter((r) => operationOf(r)?.requestBody)) {
      const content = Object.values(operationOf(route)!.requestBody!.content)[0]!;
      const examples = content.example !== undefined ? [content.example] : Object.values(content.examples ?? {}).map((e) => e.value);
      if (examples.length === 0) problems.push(`${route.method} ${route.url}: no example`);
      for (const example of examples) {
        if (!Value.Check(route.schema!.body as never, example)) problems.push(`${route.method} ${route.url}: example rejected by its schema: ${JSON.stringify([...Value.Errors(route.schema!.body as never, example)].slice(0, 2))}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('says who may call each route: an API key on /v1, a Twilio signature on webhooks, nobody else', () => {
    const security = (route: CatalogRoute) => JSON.stringify(operationOf(route)?.security ?? 'the default (API key)');
    for (const route of routes) {
      if (route.url.startsWith('/v1/')) expect(security(route), route.url).toBe('"the default (API key)"');
      else if (route.url.startsWith('/webhooks/')) expect(security(route), route.url).toBe('[{"twilioSignature":[]}]');
      else expect(security(route), route.url).toBe('[]');
    }
  });
});
