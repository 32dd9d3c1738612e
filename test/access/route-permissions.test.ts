/**
 * Authorisation, route by route: every route the app registers (read from its route catalog) must be
 * listed below with who may call it, and each role must get exactly those routes: 403 for a role
 * outside the list, anything but 401/403 for a role in it (a 400 for the empty body sent, a 404 for the
 * id that does not exist...). A route added without a line here fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/access/permissions.js';
import type { CatalogRoute } from '../../src/http/route-catalog.js';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';

type Access = readonly Role[] | 'public' | 'twilio-signature' | 'admin-dashboard';

const EVERYONE = ROLES;
const WRITERS = ['admin', 'communicator'] as const;
const ADMIN = ['admin'] as const;
const CONTROLLERS = ['admin', 'communicator', 'approver'] as const;
const APPROVERS = ['admin', 'approver'] as const;

const EXPECTED: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /archive': 'public',
  'GET /v/:code': 'public',
  'GET /verify': 'public',
  'POST /verify': 'public',
  'POST /webhooks/twilio/status': 'twilio-signature',
  'POST /webhooks/twilio/inbound': 'twilio-signature',
  'GET /admin/queues/login': 'public',
  'POST /admin/queues/login': 'public',
  'POST /admin/queues/logout': 'public',

  'POST /v1/api-keys': ADMIN,
  'GET /v1/api-keys': ADMIN,
  'DELETE /v1/api-keys/:id': ADMIN,
  'POST /v1/users': ADMIN,
  'GET /v1/users': ADMIN,
  'GET /v1/settings': EVERYONE,
  'PUT /v1/settings/:key': ADMIN,
  'GET /v1/audit': APPROVERS,

  'POST /v1/contacts': WRITERS,
  'GET /v1/contacts': EVERYONE,
  'GET /v1/contacts/:id': EVERYONE,
  'DELETE /v1/contacts/:id': ADMIN,
  'POST /v1/contacts/:id/opt-out': WRITERS,
  'POST /v1/contacts/:id/opt-in': WRITERS,
  'POST /v1/contacts/import': WRITERS,
  'GET /v1/imports/:id': EVERYONE,

  'POST /v1/schools': WRITERS,
  'GET /v1/schools': EVERYONE,
  'GET /v1/schools/:code': EVERYONE,
  'POST /v1/schools/import': WRITERS,
  'POST /v1/schools/results/import': WRITERS,

  'POST /v1/segments': WRITERS,
  'GET /v1/segments': EVERYONE,
  'GET /v1/segments/:id': EVERYONE,
  'DELETE /v1/segments/:id': WRITERS,
  'POST /v1/audiences/preview': EVERYONE,

  'POST /v1/campaigns': WRITERS,
  'GET /v1/campaigns': EVERYONE,
  'GET /v1/campaigns/:id': EVERYONE,
  'PATCH /v1/campaigns/:id': WRITERS,
  'GET /v1/campaigns/:id/calendar.ics': EVERYONE,
  'POST /v1/campaigns/preview': EVERYONE,
  'POST /v1/campaigns/:id/preview': EVERYONE,
  'POST /v1/campaigns/:id/approve': APPROVERS,
  'POST /v1/campaigns/:id/pause': CONTROLLERS,
  'POST /v1/campaigns/:id/resume': CONTROLLERS,
  'POST /v1/campaigns/:id/cancel': CONTROLLERS,
  'GET /v1/campaigns/:id/report': EVERYONE,
  'GET /v1/campaigns/:id/deliveries': EVERYONE,

  'POST /v1/verify': EVERYONE,
  'POST /v1/archive/:code/corrections': APPROVERS,
  'GET /v1/inbound': CONTROLLERS,
};

/** Route families that belong to a library and are checked as a whole. */
const FAMILIES: Array<{ prefix: string; access: Access }> = [
  { prefix: '/docs', access: 'public' },
  { prefix: '/admin/queues', access: 'admin-dashboard' },
];

function accessOf(route: CatalogRoute): Access | undefined {
  return EXPECTED[`${route.method} ${route.url}`] ?? FAMILIES.find((f) => route.url.startsWith(f.prefix))?.access;
}

/** The route's URL with every parameter filled by a value that names nothing (integers where the schema says so). */
function concreteUrl(route: CatalogRoute): string {
  const params = (route.schema?.params as { properties?: Record<string, { type?: string }> } | undefined)?.properties ?? {};
  return route.url.replace(/:(\w+)/g, (_, name: string) => (params[name]?.type === 'integer' ? '2147483647' : 'zzzz')).replace(/\*$/, 'zzzz');
}

describe('who may call which route', () => {
  let h: Harness;
  let routes: CatalogRoute[];
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    for (const role of ROLES) keys[role] = await createUserKey(h.services.db.pool, role);
    routes = h.app.routeCatalog;
  });
  afterAll(async () => h?.close());

  async function call(route: CatalogRoute, headers: Record<string, string> = {}): Promise<number> {
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
    const response = await h.app.inject({
      method: route.method as 'GET',
      url: concreteUrl(route),
      headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      ...(hasBody ? { payload: '{}' } : {}),
    });
    return response.statusCode;
  }

  /** Runs `check` on every route with the given kind of access; returns the routes that failed it. */
  async function failures(matches: (access: Access) => boolean, check: (route: CatalogRoute, access: Access) => Promise<string | null>): Promise<string[]> {
    const problems: string[] = [];
    for (const route of routes) {
      const access = accessOf(route);
      if (access === undefined || !matches(access)) continue;
      const problem = await check(route, access);
      if (problem) problems.push(`${route.method} ${route.url}: ${problem}`);
    }
    return problems;
  }

  it('knows every registered route (add a line to EXPECTED for a new one)', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => accessOf(r) === undefined).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(EXPECTED).filter((line) => !registered.has(line))).toEqual([]);
  });

  it('answers 401 on every /v1 route without a key, with a malformed key and with an unknown key', async () => {
    expect(routes.filter((r) => r.url.startsWith('/v1/') && !Array.isArray(accessOf(r)))).toEqual([]);
    const problems = await failures(Array.isArray, async (route) => {
      const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer short' }, { authorization: `Basic ${keys.admin}` }, { authorization: 'Bearer cmp_thisKeyWasNeverIssuedToAnyoneAtAll' }];
      for (const headers of attempts) {
        const status = await call(route, headers);
        if (status !== 401) return `${JSON.stringify(headers)} got ${status}`;
      }
      return null;
    });
    expect(problems).toEqual([]);
  });

  it('gives each role exactly the /v1 routes its permissions allow', async () => {
    const problems = await failures(Array.isArray, async (route, access) => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        const status = await call(route, { authorization: `Bearer ${keys[role]}` });
        const allowed = (access as readonly Role[]).includes(role);
        if (allowed ? status === 401 || status === 403 : status !== 403) wrong.push(`${role} got ${status}`);
      }
      return wrong.length ? wrong.join(', ') : null;
    });
    expect(problems).toEqual([]);
  });

  it('opens the queue dashboard to admins only, by header (and to no one without a key)', async () => {
    const problems = await failures((a) => a === 'admin-dashboard', async (route) => {
      const wrong: string[] = [];
      const anonymous = await call(route);
      if (anonymous !== 401 && anonymous !== 303) wrong.push(`no key got ${anonymous}`);
      for (const role of ROLES) {
        const status = await call(route, { authorization: `Bearer ${keys[role]}` });
        if (role === 'admin' ? status === 401 || status === 403 || status === 303 : status !== 403) wrong.push(`${role} got ${status}`);
      }
      return wrong.length ? wrong.join(', ') : null;
    });
    expect(problems).toEqual([]);
  });

  it('serves public routes without a key and refuses unsigned webhooks', async () => {
    const problems = await failures((a) => a === 'public' || a === 'twilio-signature', async (route, access) => {
      const status = await call(route);
      if (access === 'twilio-signature') return status === 403 ? null : `unsigned got ${status}`;
      return status === 401 || status === 403 ? `got ${status}` : null;
    });
    expect(problems).toEqual([]);
  });
});
