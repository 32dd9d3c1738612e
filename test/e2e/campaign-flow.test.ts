/**
 * The whole flow on real PostgreSQL and Redis, with the real twilio package talking to a local
 * Twilio-compatible server: contacts in Spanish and Guarani on WhatsApp and SMS, a three-step campaign,
 * approval, fan-out, duplicated and shuffled signed status callbacks, a STOP after step 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioCompatibleServer, twilioSignature } from '../twilio-server/server.js';
import { createUserKey, resetDatabase, startHarness, TEST_SMS_FROM, TEST_WHATSAPP_FROM, waitFor, type Harness } from '../support/harness.js';

const CONTACTS = [
  { phone: '0981 100 001', name: 'Ana', role: 'parent', language: 'es', channel: 'whatsapp' },
  { phone: '0981-100002', name: 'Ñandutí', role: 'parent', language: 'gn', channel: 'whatsapp' },
  { phone: '595981100003', name: 'Carlos', role: 'teacher', language: 'es', channel: 'sms' },
  { phone: '+595 981 100004', name: 'Rosa', role: 'teacher', language: 'gn', channel: 'sms' },
  { phone: '(0981) 100 005', name: 'Pedro', role: 'parent', language: 'gn', channel: 'whatsapp' },
  { phone: '0981100006', name: 'Lucía', role: 'parent', language: 'es', channel: 'sms' },
  // Not in the audience (a director): must never be messaged.
  { phone: '0981100007', name: 'Director', role: 'director', language: 'es', channel: 'whatsapp' },
] as const;
const e164 = (n: number) => `+59598110000${n}`;
const UNDELIVERABLE = e164(6);
const STOPPER = e164(2);
const TEMPLATE_SID = `HX${'1'.repeat(32)}`;

describe('a three-step campaign end to end through a Twilio-compatible server', () => {
  const twilio = new TwilioCompatibleServer({
    callbacks: { enabled: true, delayMs: 20, duplicateRate: 0.5, shuffle: true },
    outcome: (params) => (params.To === UNDELIVERABLE ? { finalErrorCode: 30005 } : 'delivered'),
  });
  let h: Harness;
  let campaignId: number;

  beforeAll(async () => {
    await resetDatabase();
    await twilio.start();
    h = await startHarness({ twilio });
  });
  afterAll(async () => {
    await h?.close();
    await twilio.stop();
  });

  it('stores contacts written in any common way as E.164', async () => {
    for (const contact of CONTACTS) {
      const { status, body } = await h.api('POST', '/v1/contacts', contact);
      expect(status).toBe(201);
      expect(body.phone).toMatch(/^\+59598110000\d$/);
    }
    const again = await h.api('POST', '/v1/contacts', { phone: '0981 100 001', name: 'Ana María' });
    expect(again.status).toBe(200);
    expect(again.body.name).toBe('Ana María');
  });

  it('refuses a body with an unknown merge field at creation', async () => {
    const { status, body } = await h.api('POST', '/v1/campaigns', {
      name: 'Typo',
      steps: [{ sendAt: new Date(Date.now() + 60_000).toISOString(), content: { es: { body: 'Hola {{contact.nmae}}' } } }],
    });
    expect(status).toBe(400);
    expect(body.message).toContain('steps[0].content.es.body: unknown field {{contact.nmae}}');
  });

  it('creates a draft with every step’s send time in UTC, and approval schedules it', async () => {
    const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const { status, body } = await h.api('POST', '/v1/campaigns', {
      name: 'Resultados de la evaluación',
      audience: { roles: ['parent', 'teacher'] },
      steps: [
        { sendAt: at(2), content: { es: { body: 'Hola {{contact.name}}, semana 1' }, gn: { body: "Mba'éichapa {{contact.name}}, 1ha" } } },
        { sendAt: at(6), content: { es: { body: 'Hola {{contact.name}}, semana 2' }, gn: { body: "Mba'éichapa {{contact.name}}, 2ha" } } },
        {
          sendAt: at(10),
          content: { es: { body: 'Hola {{contact.name}}, semana 3' }, gn: { body: "Mba'éichapa {{contact.name}}, 3ha" } },
          whatsappTemplate: { contentSid: TEMPLATE_SID, variables: { '1': '{{contact.name}}', '2': 'semana 3' } },
        },
      ],
    });
    expect(status).toBe(201);
    expect(body.status).toBe('draft');
    expect(body.steps).toHaveLength(3);
    for (const step of body.steps) expect(step.sendAt).toMatch(/Z$/);
    campaignId = body.id;

    // Four eyes: the author may not approve; an approver may, once.
    expect((await h.api('POST', `/v1/campaigns/${campaignId}/approve`)).status).toBe(403);
    const approverKey = await createUserKey(h.services.db.pool, 'approver');
    const approved = await h.api('POST', `/v1/campaigns/${campaignId}/approve`, undefined, approverKey);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('scheduled');
    expect((await h.api('POST', `/v1/campaigns/${campaignId}/approve`, undefined, approverKey)).status).toBe(409);
  });

  it('sends step 1 to exactly the audience, each in their language and channel', async () => {
    await waitFor('step 1 sent', async () => twilio.messages.length >= 6 && twilio.messages.length);
    const step1 = twilio.messages.filter((m) => String(m.params.Body ?? '').includes('1'));
    expect(step1.map((m) => m.to).sort()).toEqual(
      [`whatsapp:${e164(1)}`, `whatsapp:${e164(2)}`, e164(3), e164(4), `whatsapp:${e164(5)}`, e164(6)].sort(),
    );
    const byTo = new Map(step1.map((m) => [m.to, m.params]));
    expect(byTo.get(`whatsapp:${e164(1)}`)).toMatchObject({ From: `whatsapp:${TEST_WHATSAPP_FROM}`, Body: 'Hola Ana María, semana 1' });
    expect(byTo.get(`whatsapp:${e164(2)}`)).toMatchObject({ Body: "Mba'éichapa Ñandutí, 1ha" });
    expect(byTo.get(e164(4))).toMatchObject({ From: TEST_SMS_FROM, Body: "Mba'éichapa Rosa, 1ha" });
    for (const params of byTo.values()) expect(String(params.StatusCallback)).toMatch(new RegExp(`^${h.baseUrl}/webhooks/twilio/status\\?d=\\d+$`));
  });

  it('stops messaging a contact who replies STOP, with a confirmation in their language', async () => {
    const params = { MessageSid: `SM${'a'.repeat(32)}`, AccountSid: twilio.accountSid, From: `whatsapp:${STOPPER}`, To: `whatsapp:${TEST_WHATSAPP_FROM}`, Body: '  Stop ' };
    const reply = await postSigned(h, '/webhooks/twilio/inbound', params, twilio.authToken);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('<Message>');
    expect(reply.text).toContain('ALTA');
    // The same message delivered twice by Twilio is acted on once and answered the same way.
    expect((await postSigned(h, '/webhooks/twilio/inbound', params, twilio.authToken)).text).toBe(reply.text);
    const inbound = await h.api('GET', '/v1/inbound');
    expect(inbound.body.items).toHaveLength(1);
    expect(inbound.body.items[0]).toMatchObject({ action: 'opt_out', body: '  Stop ' });
  });

  it('sends steps 2 and 3 to everyone else, step 3 on WhatsApp as the template', async () => {
    await waitFor('all steps sent', async () => {
      const { body } = await h.api('GET', `/v1/campaigns/${campaignId}`);
      return body.status === 'completed';
    }, 30_000);
    await twilio.whenCallbacksSettled();
    expect(twilio.messages).toHaveLength(6 + 5 + 5);
    expect(twilio.duplicates()).toEqual([]);
    expect(twilio.messages.filter((m) => m.to === `whatsapp:${STOPPER}`)).toHaveLength(1);
    const step3 = twilio.messages.slice(-5);
    const whatsapp = step3.filter((m) => m.channel === 'whatsapp');
    expect(whatsapp).toHaveLength(2);
    for (const m of whatsapp) {
      expect(m.params.ContentSid).toBe(TEMPLATE_SID);
      expect(m.params.Body).toBeUndefined();
      expect(JSON.parse(String(m.params.ContentVariables))).toEqual({ '1': m.to.endsWith('1') ? 'Ana María' : 'Pedro', '2': 'semana 3' });
    }
    for (const m of step3.filter((m) => m.channel === 'sms')) expect(m.params.Body).toMatch(/semana 3|3ha/);
  });

  it('reports every status from the duplicated, shuffled callbacks, and the opted-out contact as skipped', async () => {
    await waitFor('callbacks applied', async () => {
      const { body } = await h.api('GET', `/v1/campaigns/${campaignId}/report`);
      return body.total.queued === 0 && body.total.sent === 0 && body;
    });
    const { body: report } = await h.api('GET', `/v1/campaigns/${campaignId}/report`);
    const [s1, s2, s3] = report.steps;
    expect(s1).toMatchObject({ targeted: 6, total: 6, read: 3, delivered: 2, undelivered: 1, skipped: 0 });
    expect(s1.byChannel.whatsapp).toMatchObject({ read: 3, total: 3 });
    expect(s1.byChannel.sms).toMatchObject({ delivered: 2, undelivered: 1, total: 3 });
    expect(s1.byLanguage.gn).toMatchObject({ total: 3 });
    for (const step of [s2, s3]) {
      expect(step).toMatchObject({ targeted: 6, read: 2, delivered: 2, undelivered: 1, skipped: 1 });
      expect(step.skippedBy).toEqual({ opted_out: 1 });
    }
    expect(report.total).toMatchObject({ targeted: 18, read: 7, delivered: 6, undelivered: 3, skipped: 2 });

    const { body: deliveries } = await h.api('GET', `/v1/campaigns/${campaignId}/deliveries?step=1&status=undelivered`);
    expect(deliveries.items).toHaveLength(1);
    expect(deliveries.items[0]).toMatchObject({ phone: UNDELIVERABLE, errorCode: 30005, channel: 'sms' });
    expect(deliveries.items[0].statusHistory.map((e: { event: string }) => e.event)).toEqual(['accepted', 'sent', 'undelivered']);
  });

  it('refuses callbacks and replies without a valid signature', async () => {
    const params = { MessageSid: `SM${'b'.repeat(32)}`, MessageStatus: 'delivered', AccountSid: twilio.accountSid };
    expect((await postSigned(h, '/webhooks/twilio/status', params, 'not-the-token')).status).toBe(403);
    expect((await postSigned(h, '/webhooks/twilio/inbound', { ...params, From: e164(1), Body: 'STOP' }, 'not-the-token')).status).toBe(403);
    const unsigned = await fetch(`${h.baseUrl}/webhooks/twilio/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(unsigned.status).toBe(403);
    const contact = await h.api('GET', '/v1/contacts?phone=0981100001');
    expect(contact.body.items[0].optedOut).toBe(false);
  });
});

async function postSigned(h: Harness, path: string, params: Record<string, string>, token: string): Promise<{ status: number; text: string }> {
  const url = h.config.publicBaseUrl + path;
  const response = await fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(token, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, text: await response.text() };
}
