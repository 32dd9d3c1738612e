/**
 * The queue dashboard at /admin/queues: admins only, by header or by the cookie its login form sets;
 * the cookie is HttpOnly, SameSite=Strict, scoped to the dashboard, and worth nothing on the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';

describe('the queue dashboard', () => {
  let h: Harness;
  let viewerKey: string;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    viewerKey = await createUserKey(h.services.db.pool, 'viewer');
  });
  afterAll(async () => h?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(h.baseUrl + path, { headers, redirect: 'manual' });
  const login = (key: string) =>
    fetch(`${h.baseUrl}/admin/queues/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key }).toString() });

  it.each([
    { who: 'nobody, on the page', path: '/admin/queues', headers: {}, status: 303 },
    { who: 'nobody, on its API', path: '/admin/queues/api/queues', headers: {}, status: 401 },
    { who: 'a viewer', path: '/admin/queues', headers: () => ({ authorization: `Bearer ${viewerKey}` }), status: 403 },
    { who: 'an admin', path: '/admin/queues', headers: () => ({ authorization: `Bearer ${h.adminKey}` }), status: 200 },
  ])('answers $status to $who', async ({ path, headers, status }) => {
    const response = await get(path, typeof headers === 'function' ? headers() : headers);
    expect(response.status).toBe(status);
    if (status === 303) expect(response.headers.get('location')).toBe('/admin/queues/login');
  });

  it.each([
    { who: 'an unknown key', key: () => 'cmp_not-a-key-anyone-was-given', status: 401 },
    { who: 'a viewer key', key: () => viewerKey, status: 403 },
  ])('refuses to sign in $who', async ({ key, status }) => {
    const response = await login(key());
    expect(response.status).toBe(status);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('signs an admin in with a cookie that opens the page, its scripts and its API, and nothing else', async () => {
    const response = await login(h.adminKey);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/queues/');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^campana_dashboard_key=cmp_[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const cookie = { cookie: setCookie.split(';')[0]! };

    const page = await get('/admin/queues/', cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    for (const script of [...html.matchAll(/<script defer src="([^"]+)"/g)].map((m) => m[1]!)) {
      const response = await get(`/admin/queues/${script}`, cookie);
      expect(response.status).toBe(200);
      await response.arrayBuffer(); // an unread body holds the connection, and the server's close waits for it
    }
    const queues = await get('/admin/queues/api/queues', cookie);
    expect(queues.status).toBe(200);
    expect(((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort()).toEqual(['fanout', 'imports', 'send']);

    expect((await get('/v1/contacts', cookie)).status).toBe(401);
  });

  it('signs out by clearing the cookie', async () => {
    const response = await fetch(`${h.baseUrl}/admin/queues/logout`, { method: 'POST', redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toContain('campana_dashboard_key=; Path=/admin/queues; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
