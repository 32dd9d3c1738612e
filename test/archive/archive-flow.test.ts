/**
 * The official archive end to end, with workers and the sandbox provider: a step sent with
 * verification links is published per language before it goes out; each message ends with its code's
 * link; the public pages list and show it (escaped, without personal data); a forwarded copy is
 * recognised, an altered one shows where it differs; a correction links to what it corrects; and the
 * report compares the estimated cost with what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode } from '../../src/archive/codes.js';
import { smsSegments } from '../../src/content/sms.js';
import { createUserKey, resetDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';

const NAME = '<b>Resultados</b> & "2027"';
const CONTACTS = [
  { phone: '0981300001', name: 'Ana', role: 'parent', language: 'es', channel: 'whatsapp' },
  { phone: '0981300002', name: 'Rosa', role: 'parent', language: 'gn', channel: 'sms' },
  { phone: '0981300003', name: 'Carlos', role: 'parent', language: 'es', channel: 'sms' },
];
const ES = 'Hola {{contact.name}}, los resultados de la evaluación de su escuela ya están disponibles.';
const GN = "Maitei {{contact.name}}! Ko'ãga ikatúma rehecha mbo'ehao resultado.";

type Entry = { code: string; language: string; body: string; sender: string; audience: { description: string }; corrects: string | null; correctedBy: string[] };

describe('the public archive of official messages', () => {
  let h: Harness;
  let approver: string;
  let viewer: string;
  let campaignId: number;
  let entries: Record<string, Entry>;
  let received: Record<string, string>;

  const page = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(h.baseUrl + path, { redirect: 'manual', ...init });
    return { status: response.status, type: response.headers.get('content-type'), location: response.headers.get('location'), text: await response.text() };
  };
  const form = (text: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ text }).toString() });

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness();
    approver = await createUserKey(h.services.db.pool, 'approver');
    viewer = await createUserKey(h.services.db.pool, 'viewer');
    for (const contact of CONTACTS) expect((await h.api('POST', '/v1/contacts', contact)).status).toBe(201);
    const created = await h.api('POST', '/v1/campaigns', {
      name: NAME,
      audience: { roles: ['parent'] },
      steps: [{ sendAt: new Date(Date.now() + 1500).toISOString(), content: { es: { body: ES }, gn: { body: GN } } }],
      options: { verification: 'link' },
    });
    campaignId = created.body.id;
    expect((await h.api('POST', `/v1/campaigns/${campaignId}/approve`, undefined, approver)).status).toBe(200);
    await waitFor('campaign sent', async () => (await h.api('GET', `/v1/campaigns/${campaignId}`)).body.status === 'completed', 30_000);
    const { rows } = await h.services.db.pool.query<{ to_address: string; body: string }>('SELECT to_address, body FROM sandbox_messages');
    received = Object.fromEntries(rows.map((r) => [r.to_address.replace('whatsapp:', ''), r.body]));
  });
  afterAll(async () => h?.close());

  it('publishes each language of a sent step, merge fields left as written, before any message goes out', async () => {
    const json = await h.api('GET', '/archive?format=json');
    expect(json.status).toBe(200);
    entries = Object.fromEntries(json.body.items.map((e: Entry) => [e.language, e]));
    expect(Object.keys(entries).sort()).toEqual(['es', 'gn']);
    expect(entries.es).toMatchObject({ body: ES, sender: 'Campana', audience: { description: 'Familias · todo el país' }, corrects: null, correctedBy: [] });
    expect(parseCode(entries.gn!.code)).toBe(entries.gn!.code);
    // No personal data: no phone number, no name of a recipient.
    expect(JSON.stringify(json.body)).not.toMatch(/\+5959|Rosa|Carlos/);
    const { rows } = await h.services.db.pool.query(
      `SELECT bool_and(a.published_at <= d.accepted_at) AS before FROM archive_entries a JOIN deliveries d ON d.step_id = a.step_id WHERE d.accepted_at IS NOT NULL`,
    );
    expect(rows[0].before).toBe(true);
  });

  it('ends every message with the link to its language’s entry, counted in its segments', async () => {
    expect(received['+595981300001']).toBe(`Hola Ana, los resultados de la evaluación de su escuela ya están disponibles.\nVerificar: ${h.baseUrl}/v/${entries.es!.code}`);
    expect(received['+595981300002']).toBe(`Maitei Rosa! Ko'ãga ikatúma rehecha mbo'ehao resultado.\nVerificar: ${h.baseUrl}/v/${entries.gn!.code}`);
    const { rows } = await h.services.db.pool.query<{ segments: number; body: string }>(`SELECT segments, body FROM deliveries WHERE channel = 'sms' AND language = 'gn'`);
    expect(rows[0]!.segments).toBe(smsSegments(rows[0]!.body));
    expect(rows[0]!.segments).toBe(2);
  });

  it('lists the messages as a phone-sized page, escaping what it shows', async () => {
    const archive = await page('/archive');
    expect(archive.status).toBe(200);
    expect(archive.type).toBe('text/html; charset=utf-8');
    expect(archive.text).toContain('<meta name="viewport"');
    expect(archive.text).toContain(`/v/${entries.es!.code}`);
    expect(archive.text).toContain('&lt;b&gt;Resultados&lt;/b&gt; &amp; &quot;2027&quot;');
    expect(archive.text).not.toContain('<b>Resultados');
    expect(archive.text).toContain('<span class="field" title="contact.name">nombre del destinatario</span>');
    expect((await page('/archive', { headers: { accept: 'application/json' } })).type).toMatch(/^application\/json/);
  });

  it('shows one message by its code, in any case, and 404 for a code that is no message’s', async () => {
    const shown = await page(`/v/${entries.gn!.code.toLowerCase()}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(`Mensaje oficial ${entries.gn!.code}`);
    expect(shown.text).toContain('Ko&#39;ãga ikatúma');
    const json = await h.api('GET', `/v/${entries.gn!.code}?format=json`);
    expect(json.body).toMatchObject({ code: entries.gn!.code, url: `${h.baseUrl}/v/${entries.gn!.code}`, campaign: { id: campaignId, name: NAME } });
    expect((await page('/v/ZZZZZ')).status).toBe(404);
    expect((await page('/v/%3Cscript%3E')).text).toContain('&lt;script&gt;');
    expect(await page(`/verify?code=${entries.es!.code.toLowerCase()}`)).toMatchObject({ status: 303, location: `/v/${entries.es!.code}` });
  });

  it('recognises a forwarded copy as official, on the public form and through the API', async () => {
    const forwarded = received['+595981300003']!.replace(/\n/g, ' \n ');
    const html = await page('/verify', form(forwarded));
    expect(html.status).toBe(200);
    expect(html.text).toContain('Es un mensaje oficial');
    expect(html.text).toContain(entries.es!.code);
    const api = await h.api('POST', '/v1/verify', { text: forwarded }, viewer);
    expect(api.body).toMatchObject({ official: true, entry: { code: entries.es!.code }, fields: { 'contact.name': 'Carlos' } });
    // Without its verification line too.
    expect((await h.api('POST', '/v1/verify', { text: forwarded.split('Verificar:')[0] })).body.official).toBe(true);
  });

  it('recognises an altered copy as not official and shows where it differs', async () => {
    const altered = received['+595981300003']!.replace('ya están disponibles', 'se cancelan: no hay clases mañana');
    const html = await page('/verify', form(altered));
    expect(html.text).toContain('No es un mensaje oficial');
    expect(html.text).toContain('<ins>se cancelan: no hay clases mañana</ins>');
    const api = await page('/verify?format=json', form(altered));
    const verdict = JSON.parse(api.text);
    expect(verdict).toMatchObject({ official: false, reason: 'differs', code: entries.es!.code, closest: { entry: { code: entries.es!.code } } });
    expect(verdict.closest.diff.filter((p: { kind: string }) => p.kind === 'removed').map((p: { text: string }) => p.text)).toEqual(['ya están disponibles']);
  });

  it('corrects an entry with a new one linked to it, by approvers only; entries are never edited', async () => {
    const body = 'Hola {{contact.name}}, los resultados de la evaluación estarán disponibles el lunes.';
    expect((await h.api('POST', `/v1/archive/${entries.es!.code}/corrections`, { body }, viewer)).status).toBe(403);
    expect((await h.api('POST', `/v1/archive/${entries.es!.code}/corrections`, { body: 'Hola {{contact.nombre}}' }, approver)).status).toBe(400);
    const correction = await h.api('POST', `/v1/archive/${entries.es!.code}/corrections`, { body }, approver);
    expect(correction.status).toBe(201);
    expect(correction.body).toMatchObject({ body, language: 'es', corrects: entries.es!.code, correctedBy: [] });
    expect(correction.body.code).not.toBe(entries.es!.code);
    expect((await h.api('GET', `/v/${entries.es!.code}?format=json`)).body).toMatchObject({ body: ES, correctedBy: [correction.body.code] });
    expect((await page(`/v/${entries.es!.code}`)).text).toContain('Este mensaje fue corregido');
    const audit = await h.api('GET', `/v1/audit?action=archive.correct`);
    expect(audit.body.items[0]).toMatchObject({ entityId: correction.body.code, changes: { corrects: { from: null, to: entries.es!.code } } });
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect((await h.api(method, `/v1/archive/${entries.es!.code}`, method === 'DELETE' ? undefined : { body })).status).toBe(404);
  });

  it('reports the cost estimated beside the cost of what was sent', async () => {
    const { body } = await h.api('GET', `/v1/campaigns/${campaignId}/report`);
    const smsSent = (await h.services.db.pool.query<{ n: number }>(`SELECT sum(segments)::int AS n FROM deliveries WHERE channel = 'sms'`)).rows[0]!.n;
    expect(body.cost).toMatchObject({ currency: 'USD', actual: Math.round((0.008 + smsSent * 0.045) * 10_000) / 10_000 });
    expect(body.cost.steps[0]).toMatchObject({ position: 1, sent: { whatsapp: { messages: 1, segments: 1 }, sms: { messages: 2, segments: smsSent } } });
    expect(body.cost.estimated).toBe(body.cost.actual);
    expect(body.total).toMatchObject({ targeted: 3 });
  });
});
