/**
 * Rate limits held in Redis (so two API processes share them), per API key on /v1 and per client
 * address where no key is given; webhooks never limited; body size limits per route family.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFor } from '../../src/http/route-policy.js';
import { TwilioCompatibleServer } from '../twilio-server/server.js';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';
import { newSid, postSigned } from './webhook-client.js';

const API_LIMIT = 5;

describe('rate limits and body limits', () => {
  const twilio = new TwilioCompatibleServer();
  // Two API processes of one deployment: same Redis, same prefix.
  const env = { QUEUE_PREFIX: `{limits-${randomBytes(3).toString('hex')}}`, RATE_LIMIT_API_PER_MINUTE: String(API_LIMIT), RATE_LIMIT_PUBLIC_PER_MINUTE: '3' };
  let first: Harness;
  let second: Harness;

  beforeAll(async () => {
    await resetDatabase();
    await twilio.start();
    first = await startHarness({ twilio, workers: false, env });
    second = await startHarness({ twilio, workers: false, env });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await twilio.stop();
  });

  it('limits each API key across API processes, and says so with Retry-After', async () => {
    const [a, b] = [await createUserKey(first.services.db.pool, 'viewer'), await createUserKey(first.services.db.pool, 'viewer')];
    const statuses = [];
    for (let i = 0; i < API_LIMIT + 1; i++) statuses.push((await (i % 2 ? second : first).api('GET', '/v1/contacts', undefined, a)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);

    const refused = await fetch(`${second.baseUrl}/v1/contacts`, { headers: { authorization: `Bearer ${a}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: 'Too Many Requests', message: expect.stringContaining(`at most ${API_LIMIT} a minute per API key`) });
    expect((await first.api('GET', '/v1/contacts', undefined, b)).status).toBe(200);
  });

  it('limits requests without a key by client address', async () => {
    const statuses = [];
    for (let i = 0; i < API_LIMIT + 1; i++) statuses.push((await fetch(`${first.baseUrl}/v1/campaigns`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('never limits Twilio webhooks', async () => {
    const statuses = [];
    for (let i = 0; i < 3 * API_LIMIT; i++) {
      statuses.push((await postSigned(first, '/webhooks/twilio/status', { MessageSid: newSid(), MessageStatus: 'sent', AccountSid: twilio.accountSid }, twilio.authToken)).status);
    }
    expect(new Set(statuses)).toEqual(new Set([204]));
  });

  it.each([
    { url: '/v1/contacts', rateLimit: 'api-key', bodyLimit: undefined },
    { url: '/admin/queues/api/queues', rateLimit: 'api-key', bodyLimit: undefined },
    { url: '/archive', rateLimit: 'client-address', bodyLimit: 65536 },
    { url: '/archive.json', rateLimit: 'client-address', bodyLimit: 65536 },
    { url: '/v/:code', rateLimit: 'client-address', bodyLimit: 65536 },
    { url: '/verify', rateLimit: 'client-address', bodyLimit: 65536 },
    { url: '/webhooks/twilio/status', rateLimit: 'none', bodyLimit: 65536, securityHeaders: false },
    { url: '/healthz', rateLimit: 'none', bodyLimit: undefined },
    { url: '/metrics', rateLimit: 'none', bodyLimit: undefined },
    { url: '/docs/json', rateLimit: 'none', bodyLimit: undefined },
    { url: '/v1', rateLimit: 'api-key', bodyLimit: undefined },
  ])('protects $url by $rateLimit', ({ url, rateLimit, bodyLimit, securityHeaders }) => {
    expect(policyFor(url)).toEqual({ rateLimit, ...(bodyLimit ? { bodyLimit } : {}), ...(securityHeaders === false ? { securityHeaders } : {}) });
  });

  it('limits the public pages together, by client address, apart from the API', async () => {
    const pages = first.app.routeCatalog.filter((r) => r.method === 'GET' && policyFor(r.url).rateLimit === 'client-address' && !r.url.includes(':'));
    if (pages.length === 0) return; // no public page registered in this build
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(first.baseUrl + pages[i % pages.length]!.url)).status);
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
  });

  it.each([
    { what: 'a JSON body over 1 MiB on the API', path: '/v1/contacts', type: 'application/json', body: JSON.stringify({ phone: '0981123456', name: 'x'.repeat(1024 * 1024) }) },
    { what: 'a form over 64 KiB on a webhook', path: '/webhooks/twilio/inbound', type: 'application/x-www-form-urlencoded', body: `Body=${'x'.repeat(65 * 1024)}` },
  ])('refuses $what with 413', async ({ path, type, body }) => {
    const key = await createUserKey(first.services.db.pool, 'admin');
    const response = await fetch(first.baseUrl + path, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${key}` }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'Payload Too Large', message: expect.stringContaining('Request body is too large') });
  });
});
