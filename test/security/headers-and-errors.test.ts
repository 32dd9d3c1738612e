/**
 * What every answer carries and what no answer reveals: security headers (HTTPS-only ones only behind
 * https), /docs still working under the CSP, request ids, and errors that never show a stack, SQL or
 * the database's message, also when the database itself fails.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSecurity } from '../../src/http/security.js';
import { loadConfig } from '../../src/runtime/config.js';
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';

const LEAKS = [/\bSELECT\b/i, /\bFROM\b/, /relation "/, /inbound_messages/, /at .+\.(ts|js):\d+/, /node_modules/, /prisma/i, /invalid byte sequence/];

describe('headers and error answers', () => {
  let h: Harness;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
  });
  afterAll(async () => h?.close());

  it.each(['/v1/contacts', '/healthz', '/docs/json', '/nowhere'])('sends security headers on %s, and no HTTPS-only ones over http', async (path) => {
    const response = await fetch(h.baseUrl + path, { headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[\w.:-]{8,}$/);
  });

  it('sends none on Twilio’s webhooks, whose only reader is Twilio', async () => {
    const response = await fetch(h.baseUrl + '/webhooks/twilio/status', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MessageSid=SM1' });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[\w.:-]{8,}$/);
  });

  it('sends HSTS and upgrade-insecure-requests when the public URL is https', async () => {
    const app = Fastify();
    await installSecurity(app, loadConfig({ PUBLIC_BASE_URL: 'https://campana.example.org' }));
    app.get('/', async () => 'ok');
    const response = await app.inject('/');
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    await app.close();
  });

  it('serves the OpenAPI UI and its scripts under the CSP', async () => {
    const page = await fetch(`${h.baseUrl}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(3);
    expect(html).not.toMatch(/<script>[^<]/); // no inline script, which the CSP would block
    for (const src of scripts) {
      const script = await fetch(new URL(src, page.url));
      expect(script.status).toBe(200);
      await script.arrayBuffer(); // an unread body holds the connection, and the server's close waits for it
    }
  });

  it('takes a caller’s request id when it looks like one, and makes one up otherwise', async () => {
    const given = await fetch(`${h.baseUrl}/healthz`, { headers: { 'x-request-id': 'proxy-1234-abcd' } });
    expect(given.headers.get('x-request-id')).toBe('proxy-1234-abcd');
    const hostile = await fetch(`${h.baseUrl}/healthz`, { headers: { 'x-request-id': '"}\\n{"level":60' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a failing query with a bare 500 and the request id, never the SQL or a stack', async () => {
    const { pool } = h.services.db;
    await pool.query('ALTER TABLE inbound_messages RENAME TO inbound_messages_hidden');
    try {
      const response = await fetch(`${h.baseUrl}/v1/inbound`, { headers: { authorization: `Bearer ${h.adminKey}` } });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: 'Internal Server Error', message: 'internal error', requestId: response.headers.get('x-request-id') });
      for (const leak of LEAKS) expect(text).not.toMatch(leak);
    } finally {
      await pool.query('ALTER TABLE inbound_messages_hidden RENAME TO inbound_messages');
    }
  });

  it.each([
    { what: 'a NUL character in a text', body: { phone: '0981 777 001', role: 'parent', name: 'Ana\u0000' }, status: 400, message: 'a text in the request contains a character that cannot be stored (such as NUL, \\u0000)' },
    { what: 'malformed JSON', raw: '{"phone": "0981', status: 400, message: 'Body is not valid JSON but content-type is set to \'application/json\'' },
    { what: 'a text body', raw: 'phone=0981', type: 'text/plain', status: 400, message: 'body must be object' },
    { what: 'an unsupported content type', raw: '<phone>0981</phone>', type: 'application/xml', status: 415, message: "Unsupported Media Type: application/xml" },
  ])('answers $what with a $status that says what is wrong and nothing more', async ({ body, raw, type, status, message }) => {
    const response = await fetch(`${h.baseUrl}/v1/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.adminKey}`, 'content-type': type ?? 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(JSON.parse(text).message).toContain(message);
    for (const leak of LEAKS) expect(text).not.toMatch(leak);
  });
});
