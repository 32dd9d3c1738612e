/**
 * The Twilio-compatible server, driven by the real `twilio` package through our undici HTTP client,
 * so that both sides are checked against what the package really sends and expects.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import calculator from 'sms-segments-calculator';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioClient, UndiciRequestClient } from '../../src/providers/twilio-http-client.js';
import { countSegments } from './segments.js';
import { TwilioCompatibleServer, type TwilioServerOptions } from './server.js';
import { messagesApi } from './validation.js';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'a-test-auth-token-1234';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const TEMPLATE = 'HX0123456789abcdef0123456789abcdef';
const FROM = '+15005550006';
const WA_FROM = 'whatsapp:+15005550006';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(options: TwilioServerOptions = {}, clientOptions: { authToken?: string; timeoutMs?: number } = {}) {
  const server = new TwilioCompatibleServer({ accountSid: ACCOUNT, authToken: TOKEN, ...options });
  const url = await server.start();
  cleanups.push(() => server.stop());
  const client = createTwilioClient({ accountSid: ACCOUNT, authToken: clientOptions.authToken ?? TOKEN, apiUrl: url, timeoutMs: clientOptions.timeoutMs });
  cleanups.push(() => (client.httpClient as UndiciRequestClient).close());
  return { server, client, url };
}

type Received = { url: string; headers: IncomingHttpHeaders; params: Record<string, string> };

/** A webhook that records what it gets; `answer` picks the HTTP status of each request. */
async function receiver(answer: (r: Received, index: number) => number = () => 204) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r = { url: req.url!, headers: req.headers, params: Object.fromEntries(new URLSearchParams(body)) };
      received.push(r);
      res.writeHead(answer(r, received.length - 1)).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function rejection(promise: Promise<unknown>): Promise<{ status?: number; code?: number | string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { status?: number; code?: number; message: string };
  }
  throw new Error('expected a rejection');
}

function statusesBySid(received: Received[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of received) out.set(r.params.MessageSid!, [...(out.get(r.params.MessageSid!) ?? []), r.params.MessageStatus!]);
  return out;
}

describe('creating messages', () => {
  it('creates an SMS from a number, shaped like Twilio Message resource', async () => {
    const { server, client, url } = await setup();
    const message = await client.messages.create({ to: '+595981123456', from: FROM, body: 'Hola, ¿cómo estás?' });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({ accountSid: ACCOUNT, to: '+595981123456', from: FROM, status: 'queued', direction: 'outbound-api', numSegments: '1', numMedia: '0', apiVersion: '2010-04-01', errorCode: null, price: null });
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(Math.abs(message.dateCreated.getTime() - Date.now())).toBeLessThan(5_000);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]!.params).toEqual({ To: '+595981123456', From: FROM, Body: 'Hola, ¿cómo estás?' });

    // The raw JSON has exactly the properties of Twilio's description of a Message.
    const raw = await fetch(`${url}/2010-04-01/Accounts/${ACCOUNT}/Messages/${message.sid}.json`, {
      headers: { authorization: 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64') },
    });
    const json = (await raw.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(Object.keys(messagesApi.message.properties).sort());
    expect(json.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('creates an SMS through a Messaging Service as accepted, and counts UCS-2 segments', async () => {
    const { client } = await setup();
    const guarani = 'Mba’éichapa! Ko arapokõindýpe oĩ peteĩ ñemboaty guasu ñane rógape. '.repeat(3);
    const message = await client.messages.create({ to: '+595981123456', messagingServiceSid: SERVICE, body: guarani });
    expect(message).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: SERVICE });
    expect(Number(message.numSegments)).toBe(new calculator.SegmentedMessage(guarani).segmentsCount);
    expect(Number(message.numSegments)).toBeGreaterThan(2);
  });

  it('creates WhatsApp messages with Body and MediaUrl, and with a template', async () => {
    const { server, client } = await setup();
    const media = ['https://example.com/a.jpg', 'https://example.com/b.png?size=2'];
    const withMedia = await client.messages.create({ to: 'whatsapp:+595981123456', from: WA_FROM, body: 'Mirá', mediaUrl: media });
    expect(withMedia).toMatchObject({ to: 'whatsapp:+595981123456', numMedia: '2' });
    const variables = JSON.stringify({ 1: 'María', 2: 'sábado' });
    const templated = await client.messages.create({ to: 'whatsapp:+595981123456', from: WA_FROM, contentSid: TEMPLATE, contentVariables: variables });
    expect(server.message(withMedia.sid)!.params.MediaUrl).toEqual(media);
    expect(server.message(templated.sid)!.params).toEqual({ To: 'whatsapp:+595981123456', From: WA_FROM, ContentSid: TEMPLATE, ContentVariables: variables });
  });

  it.each([
    ['an unknown parameter (not in the description)', { to: '+595981123456', from: FROM, body: 'x', messageIntent: 'marketing' }, 20001],
    ['an empty To', { to: '', from: FROM, body: 'x' }, 21604],
    ['a To that is not E.164', { to: '0981123456', from: FROM, body: 'x' }, 21211],
    ['no From nor MessagingServiceSid', { to: '+595981123456', body: 'x' }, 21603],
    ['no Body, MediaUrl nor ContentSid', { to: '+595981123456', from: FROM }, 21602],
    ['a value outside the enum', { to: '+595981123456', from: FROM, body: 'x', riskCheck: 'sometimes' }, 20001],
    ['a ContentSid not matching its pattern', { to: 'whatsapp:+595981123456', from: WA_FROM, contentSid: 'HX123' }, 21655],
    ['ContentVariables that are not a JSON object', { to: 'whatsapp:+595981123456', from: WA_FROM, contentSid: TEMPLATE, contentVariables: '[1]' }, 21656],
    ['a WhatsApp To with an SMS From', { to: 'whatsapp:+595981123456', from: FROM, body: 'x' }, 21910],
    ['a relative StatusCallback', { to: '+595981123456', from: FROM, body: 'x', statusCallback: '/status' }, 21609],
  ])('refuses %s with 400 and Twilio code', async (_, params, code) => {
    const { server, client } = await setup();
    const error = await rejection(client.messages.create(params as Parameters<typeof client.messages.create>[0]));
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status: 400, code });
    expect(server.messages).toHaveLength(0);
    expect(server.stats().rejected).toBe(1);
  });

  it('answers 401 (20003) to a wrong auth token', async () => {
    const { server, client } = await setup({}, { authToken: 'not-the-token-at-all' });
    const error = await rejection(client.messages.create({ to: '+595981123456', from: FROM, body: 'x' }));
    expect(error).toMatchObject({ status: 401, code: 20003 });
    expect(server.messages).toHaveLength(0);
  });

  it('refuses what `outcome` says to refuse, without storing it', async () => {
    const { server, client } = await setup({
      outcome: (p) => (p.To === '+595981000001' ? { createError: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' } } : 'delivered'),
    });
    await client.messages.create({ to: '+595981000002', from: FROM, body: 'x' });
    const error = await rejection(client.messages.create({ to: '+595981000001', from: FROM, body: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 21610 });
    expect(server.messages.map((m) => m.to)).toEqual(['+595981000002']);
  });
});

describe('listing and fetching', () => {
  it('lists by To, newest first, across pages', async () => {
    const { client } = await setup();
    const sids: string[] = [];
    for (let i = 0; i < 7; i++) sids.push((await client.messages.create({ to: '+595981111111', from: FROM, body: `m${i}` })).sid);
    for (let i = 0; i < 3; i++) await client.messages.create({ to: '+595982222222', from: FROM, body: `other${i}` });

    const all = await client.messages.list({ to: '+595981111111', pageSize: 3 });
    expect(all.map((m) => m.sid)).toEqual([...sids].reverse());

    const first = await client.messages.page({ to: '+595981111111', pageSize: 3 });
    expect(first.instances).toHaveLength(3);
    const second = await first.nextPage();
    const third = await second!.nextPage();
    expect(third!.instances.map((m) => m.sid)).toEqual([sids[0]]);
    expect(await third!.nextPage()).toBeUndefined();
  });

  it('filters by DateSent (by UTC day) with paging', async () => {
    const { client } = await setup();
    for (let i = 0; i < 5; i++) await client.messages.create({ to: `+59598133333${i}`, from: FROM, body: 'x' });
    const now = new Date();
    const yesterday = new Date(now.getTime() - 86_400_000);
    expect(await client.messages.list({ dateSent: now, pageSize: 2 })).toHaveLength(5);
    expect(await client.messages.list({ dateSentAfter: yesterday, pageSize: 2 })).toHaveLength(5);
    expect(await client.messages.list({ dateSentBefore: yesterday })).toHaveLength(0);
    expect(await client.messages.list({ dateSent: yesterday })).toHaveLength(0);
  });

  it('fetches a message, and answers 404 (20404) for an unknown one', async () => {
    const { client } = await setup({ callbacks: { delayMs: 5 } });
    const created = await client.messages.create({ to: '+595981123456', from: FROM, body: 'x' });
    await new Promise((r) => setTimeout(r, 50));
    const fetched = await client.messages(created.sid).fetch();
    expect(fetched).toMatchObject({ sid: created.sid, body: 'x', status: 'delivered' });
    const error = await rejection(client.messages('SM' + '0'.repeat(32)).fetch());
    expect(error).toMatchObject({ status: 404, code: 20404 });
  });
});

describe('status callbacks', () => {
  it('posts signed callbacks in order: SMS sent, delivered; WhatsApp also read', async () => {
    const hook = await receiver();
    const { server, client } = await setup({ callbacks: { delayMs: 1 } });
    const callbackUrl = `${hook.base}/twilio/status?campaign=7&note=a%20b`;
    const sms = await client.messages.create({ to: '+595981123456', from: FROM, body: 'x', statusCallback: callbackUrl });
    const wa = await client.messages.create({ to: 'whatsapp:+595981123456', from: WA_FROM, body: 'x', statusCallback: callbackUrl });
    expect(server.stats().callbacksPending).toBeGreaterThan(0);
    await server.whenCallbacksSettled();

    const bySid = statusesBySid(hook.received);
    expect(bySid.get(sms.sid)).toEqual(['sent', 'delivered']);
    expect(bySid.get(wa.sid)).toEqual(['sent', 'delivered', 'read']);
    for (const r of hook.received) {
      expect(r.url).toBe('/twilio/status?campaign=7&note=a%20b');
      const signature = r.headers['x-twilio-signature'] as string;
      expect(twilio.validateRequest(TOKEN, signature, callbackUrl, r.params)).toBe(true);
      expect(twilio.validateRequest('another-token-entirely', signature, callbackUrl, r.params)).toBe(false);
      expect(r.params).toMatchObject({ AccountSid: ACCOUNT, ApiVersion: '2010-04-01', SmsSid: r.params.MessageSid, SmsStatus: r.params.MessageStatus });
    }
    expect(hook.received.find((r) => r.params.MessageSid === wa.sid)!.params).toMatchObject({ From: WA_FROM, To: 'whatsapp:+595981123456', ChannelPrefix: 'whatsapp' });
    expect(server.stats()).toMatchObject({ callbacksSent: 5, callbacksAcknowledged: 5, callbacksFailed: 0, callbacksPending: 0 });
  });

  it('ends failed messages in undelivered or failed with an ErrorCode, and shows it on fetch', async () => {
    const hook = await receiver();
    const outcomes: Record<string, ReturnType<NonNullable<TwilioServerOptions['outcome']>>> = {
      '+595981000001': 'undelivered',
      '+595981000002': 'failed',
      'whatsapp:+595981000003': { finalErrorCode: 63016 },
    };
    const { server, client } = await setup({ callbacks: { delayMs: 1 }, outcome: (p) => outcomes[p.To as string] ?? 'delivered' });
    const statusCallback = `${hook.base}/status`;
    const undelivered = await client.messages.create({ to: '+595981000001', from: FROM, body: 'x', statusCallback });
    const failed = await client.messages.create({ to: '+595981000002', from: FROM, body: 'x', statusCallback });
    const template = await client.messages.create({ to: 'whatsapp:+595981000003', from: WA_FROM, body: 'x', statusCallback });
    await server.whenCallbacksSettled();

    const bySid = statusesBySid(hook.received);
    expect(bySid.get(undelivered.sid)).toEqual(['sent', 'undelivered']);
    expect(bySid.get(failed.sid)).toEqual(['failed']);
    expect(bySid.get(template.sid)).toEqual(['failed']);
    const last = (sid: string) => hook.received.filter((r) => r.params.MessageSid === sid).at(-1)!.params;
    expect(last(undelivered.sid).ErrorCode).toBe('30003');
    expect(last(template.sid).ErrorCode).toBe('63016');
    expect(hook.received.find((r) => r.params.MessageStatus === 'sent')!.params.ErrorCode).toBeUndefined();
    expect(await client.messages(template.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 63016 });
  });

  it('retries a callback the webhook answers with 5xx, with the same idempotency token', async () => {
    const hook = await receiver((_, index) => (index < 2 ? 503 : 200));
    const { server, client } = await setup({ callbacks: { delayMs: 1, retryDelayMs: 5 } });
    const sms = await client.messages.create({ to: '+595981123456', from: FROM, body: 'x', statusCallback: `${hook.base}/s` });
    await server.whenCallbacksSettled();
    expect(hook.received.map((r) => r.params.MessageStatus)).toEqual(['sent', 'sent', 'sent', 'delivered']);
    expect(new Set(hook.received.slice(0, 3).map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
    expect(hook.received[3]!.headers['i-twilio-idempotency-token']).not.toBe(hook.received[0]!.headers['i-twilio-idempotency-token']);
    expect(server.stats()).toMatchObject({ callbacksSent: 4, callbacksAcknowledged: 2, callbacksRetried: 2, callbacksFailed: 0 });
    expect(hook.received.every((r) => r.params.MessageSid === sms.sid)).toBe(true);
  });

  it('gives up after the retries when the webhook keeps failing', async () => {
    const hook = await receiver(() => 500);
    const { server, client } = await setup({ callbacks: { delayMs: 1, retryDelayMs: 1, retries: 2 } });
    await client.messages.create({ to: '+595981123456', from: FROM, body: 'x', statusCallback: `${hook.base}/s` });
    await server.whenCallbacksSettled();
    expect(hook.received).toHaveLength(6);
    expect(server.stats()).toMatchObject({ callbacksAcknowledged: 0, callbacksFailed: 2, callbacksPending: 0 });
  });

  it('sends some callbacks twice with duplicateRate, and out of order with shuffle', async () => {
    const hook = await receiver();
    const { server, client } = await setup({ callbacks: { delayMs: 0, duplicateRate: 0.5, shuffle: true, concurrency: 8 } });
    for (let i = 0; i < 40; i++) {
      await client.messages.create({ to: `whatsapp:+5959810000${String(i).padStart(2, '0')}`, from: WA_FROM, body: 'x', statusCallback: `${hook.base}/s` });
    }
    await server.whenCallbacksSettled();
    const sequences = [...statusesBySid(hook.received).values()];
    expect(sequences).toHaveLength(40);
    expect(hook.received.length).toBeGreaterThan(40 * 3);
    expect(sequences.some((s) => new Set(s).size < s.length)).toBe(true);
    const inOrder = (s: string[]) => s.every((status, i) => i === 0 || ['sent', 'delivered', 'read'].indexOf(status) >= ['sent', 'delivered', 'read'].indexOf(s[i - 1]!));
    expect(sequences.some((s) => !inOrder(s))).toBe(true);
    expect(sequences.every((s) => new Set(s).size === 3)).toBe(true);
  });
});

describe('faults', () => {
  it.each([
    ['429', 429, 20429],
    ['500', 500, 20500],
  ] as const)('answers %s without creating anything', async (kind, status, code) => {
    const { server, client } = await setup({ faults: { rate: 1, kinds: [kind] } });
    const error = await rejection(client.messages.create({ to: '+595981123456', from: FROM, body: 'x' }));
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status, code });
    expect(server.messages).toHaveLength(0);
    expect(server.stats().faults).toBe(1);
  });

  it('hangs past the client timeout, and resets sockets, without creating anything', async () => {
    const { server, client } = await setup({ faults: { rate: 1, kinds: ['timeout'] } }, { timeoutMs: 300 });
    const started = Date.now();
    const timeout = await rejection(client.messages.create({ to: '+595981123456', from: FROM, body: 'x' }));
    expect(timeout).not.toBeInstanceOf(twilio.RestException);
    expect(timeout.code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(900);

    const reset = await setup({ faults: { rate: 1, kinds: ['reset'] } });
    const error = await rejection(reset.client.messages.create({ to: '+595981123456', from: FROM, body: 'x' }));
    expect(error).not.toBeInstanceOf(twilio.RestException);
    expect(server.messages.length + reset.server.messages.length).toBe(0);
  });

  it('stores a message whose answer it then loses (acceptThenFail)', async () => {
    const hook = await receiver();
    const { server, client } = await setup({ acceptThenFail: 1, callbacks: { delayMs: 1 } });
    const error = await rejection(client.messages.create({ to: '+595981123456', from: FROM, body: 'x', statusCallback: `${hook.base}/s` }));
    expect(error).not.toBeInstanceOf(twilio.RestException);
    expect(server.messages).toHaveLength(1);
    expect(server.stats()).toMatchObject({ created: 1, lostAnswers: 1, faults: 0 });
    await server.whenCallbacksSettled();
    expect(hook.received.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered']);
  });

  it('mixes faults at the configured rate', async () => {
    const { server, client } = await setup({ faults: { rate: 0.5, kinds: ['429', '500'] } });
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => client.messages.create({ to: `+5959810000${String(i).padStart(2, '0')}`, from: FROM, body: 'x' })));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(server.messages.length);
    expect(server.stats().faults).toBe(60 - ok);
    expect(ok).toBeGreaterThan(5);
    expect(ok).toBeLessThan(55);
  });
});

describe('inspection', () => {
  it('counts by recipient and finds duplicates by body or by template and variables', async () => {
    const { server, client } = await setup({ control: true });
    await client.messages.create({ to: '+595981000001', from: FROM, body: 'hola' });
    await client.messages.create({ to: '+595981000001', from: FROM, body: 'hola' });
    await client.messages.create({ to: '+595981000001', from: FROM, body: 'chau' });
    for (const name of ['Ana', 'Ana', 'Luis']) {
      await client.messages.create({ to: 'whatsapp:+595981000002', from: WA_FROM, contentSid: TEMPLATE, contentVariables: JSON.stringify({ 1: name }) });
    }
    expect(server.countByTo()).toEqual(new Map([['+595981000001', 3], ['whatsapp:+595981000002', 3]]));
    const duplicates = server.duplicates();
    expect(duplicates.map((d) => [d.to, d.count])).toEqual([['+595981000001', 2], ['whatsapp:+595981000002', 2]]);

    const stats = await (await fetch(`${server.url}/_control/stats`)).json();
    expect(stats).toMatchObject({ created: 6, messages: 6, distinctTo: 2, duplicates: 2 });
    const listed = (await (await fetch(`${server.url}/_control/messages?to=${encodeURIComponent('+595981000001')}`)).json()) as unknown[];
    expect(listed).toHaveLength(3);
    await fetch(`${server.url}/_control/reset`, { method: 'POST' });
    expect(server.messages).toHaveLength(0);
    expect(server.stats().created).toBe(0);
  });

  it('runs as a standalone process that prints its URL and serves the control API', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/twilio-server/main.ts', '--port', '0', '--account-sid', ACCOUNT, '--auth-token', TOKEN, '--shuffle'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => {
      child.kill('SIGTERM');
    });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };
    const client = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: url });
    cleanups.push(() => (client.httpClient as UndiciRequestClient).close());
    await client.messages.create({ to: '+595981123456', from: FROM, body: 'x' });
    expect(await (await fetch(`${url}/_control/stats`)).json()).toMatchObject({ created: 1, messages: 1, distinctTo: 1 });
  });
});

describe('the undici request client', () => {
  it('rewrites scheme, host and port only, keeping path, query, auth and form body', async () => {
    const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
    const echo = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const client = new UndiciRequestClient({ baseUrl: base });
    cleanups.push(() => client.close());

    const got = await client.request({
      method: 'get',
      uri: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json?PageSize=2&Page=1`,
      params: { To: '+595 981', 'DateSent>': '2026-01-02' },
      username: ACCOUNT,
      password: TOKEN,
    });
    expect(got.statusCode).toBe(200);
    expect(JSON.parse(got.body as string)).toEqual({ ok: true });
    expect(seen[0]!.url).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json?PageSize=2&Page=1&To=%2B595%20981&DateSent%3E=2026-01-02`);
    expect(seen[0]!.headers.authorization).toBe('Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64'));

    await client.request({
      method: 'post',
      uri: 'https://api.twilio.com/2010-04-01/Accounts/x/Messages.json',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: { To: '+1', MediaUrl: ['https://a/1', 'https://a/2'], Body: "it's (ok)*", Skip: undefined },
    });
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/2010-04-01/Accounts/x/Messages.json' });
    expect(seen[1]!.body).toBe('To=%2B1&MediaUrl=https%3A%2F%2Fa%2F1&MediaUrl=https%3A%2F%2Fa%2F2&Body=it%27s%20%28ok%29%2A');

    expect(new UndiciRequestClient({ baseUrl: 'http://localhost:4010/fake/' }).resolve('https://api.twilio.com/2010-04-01/A.json?x=1')).toEqual({
      origin: 'http://localhost:4010',
      path: '/fake/2010-04-01/A.json?x=1',
    });
    expect(new UndiciRequestClient().resolve('https://api.twilio.com/2010-04-01/A.json?x=1')).toEqual({ origin: 'https://api.twilio.com', path: '/2010-04-01/A.json?x=1' });
  });

  it('surfaces connection failures as thrown errors', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: `http://127.0.0.1:${port}` });
    cleanups.push(() => (client.httpClient as UndiciRequestClient).close());
    const error = await rejection(client.messages.create({ to: '+595981123456', from: FROM, body: 'x' }));
    expect(error.code).toBe('ECONNREFUSED');
  });

  it("starts a request's deadline when it has a connection: waiting for one is not a timeout", async () => {
    // The first request gets no answer; the second, queued behind it for the only connection, does.
    let requests = 0;
    const hanging = createServer((req, res) => {
      if (++requests > 1) res.writeHead(200, { 'content-type': 'application/json' }).end('{"sid": "SM1"}');
    });
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => hanging.close(() => resolve())));
    cleanups.push(() => hanging.closeAllConnections());
    const client = new UndiciRequestClient({ baseUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, timeoutMs: 300, connectionsPerOrigin: 1 });
    cleanups.push(() => client.close());
    const send = () => client.request({ method: 'post', uri: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', data: { To: '+595981123456' } });
    const started = Date.now();
    const [first, second] = await Promise.allSettled([send(), send()]);
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'ETIMEDOUT' } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { statusCode: 200 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(requests).toBe(2);
  });
});

describe('segment counting', () => {
  it.each([
    'Hola',
    'a'.repeat(160),
    'a'.repeat(161),
    '€'.repeat(80),
    'ñandé ¿qué tal? ¡bien! '.repeat(10),
    'á'.repeat(70),
    'á'.repeat(71),
    'Mba’éichapa g̃uarani ã ẽ ĩ õ ũ ỹ '.repeat(8),
    '👍🏽 Ko sábado '.repeat(12),
  ])('matches sms-segments-calculator (%#)', (text) => {
    expect(countSegments(text)).toBe(new calculator.SegmentedMessage(text).segmentsCount);
  });
});
