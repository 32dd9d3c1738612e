/**
 * Previews on the real database: real sample contacts of each language and channel, the fallback
 * language, merge fields that schools lack, the verification line in the counts, the cost; for a stored
 * campaign and for a draft body. Staff opt-outs (audited) leave the counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';

const LEVEL = 'school.results.grade3.math.level';
const CONTACTS = [
  { phone: '0981200001', name: 'Ana', role: 'parent', language: 'es', channel: 'sms', schoolCode: '1001' },
  { phone: '0981200002', name: 'Carlos', role: 'parent', language: 'es', channel: 'whatsapp', schoolCode: '1002' },
  { phone: '0981200003', name: 'Rosa', role: 'parent', language: 'gn', channel: 'whatsapp', schoolCode: '1001' },
  { phone: '0981200004', name: 'Pedro', role: 'parent', language: 'gn', channel: 'sms' },
  { phone: '0981200005', name: 'João', role: 'parent', language: 'pt', channel: 'sms' },
  { phone: '0981200006', name: 'Opta', role: 'parent', language: 'es', channel: 'sms', schoolCode: '1001' },
  { phone: '0981200007', name: 'Directora', role: 'director', language: 'es', channel: 'sms', schoolCode: '1001' },
];
const DRAFT = {
  name: 'Resultados 2027',
  audience: { roles: ['parent'] },
  steps: [
    {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      content: { es: { body: `Hola {{contact.name}}: su escuela tiene nivel {{${LEVEL}}} en matematica.` }, gn: { body: "Maitei {{contact.name}}! Ko'ãga rehecha mbo'ehao resultado." } },
    },
  ],
  options: { verification: 'link' },
};

describe('previewing a campaign', () => {
  let h: Harness;
  let optedOutId: number;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false, env: { LANGUAGES: 'es,gn,pt' } });
    const { pool } = h.services.db;
    await pool.query(`INSERT INTO schools (code, name, department, district) VALUES ('1001', 'Escuela Básica Nº 1001', '11', '1101'), ('1002', 'Colegio Nacional 1002', '11', '1101')`);
    await pool.query(`INSERT INTO school_results (school_code, grade, subject, level, score) VALUES ('1001', 3, 'math', 'II', 487.5)`);
    for (const contact of CONTACTS) {
      const created = await h.api('POST', '/v1/contacts', contact);
      expect(created.status).toBe(201);
      if (contact.name === 'Opta') optedOutId = created.body.id;
    }
  });
  afterAll(async () => h?.close());

  it('lets staff opt a contact out and back in, recorded in the audit log', async () => {
    const out = await fetch(`${h.baseUrl}/v1/contacts/${optedOutId}/opt-out`, { method: 'POST', headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(out.status).toBe(200);
    expect(await out.json()).toMatchObject({ optedOut: true });
    expect((await h.api('POST', `/v1/contacts/${optedOutId}/opt-out`, { reason: 'again' })).body.optedOut).toBe(true);
    expect((await h.api('POST', `/v1/contacts/${optedOutId}/opt-in`, { reason: 'pidió volver' })).body.optedOut).toBe(false);
    expect((await h.api('POST', `/v1/contacts/${optedOutId}/opt-out`, { reason: 'pidió por teléfono' })).body.optedOut).toBe(true);
    expect((await h.api('POST', '/v1/contacts/999999/opt-out', {})).status).toBe(404);

    const audit = await h.api('GET', `/v1/audit?entityType=contact&entityId=${optedOutId}`);
    expect(audit.body.items.map((e: { action: string; changes: { reason?: string } }) => [e.action, e.changes.reason ?? null])).toEqual([
      ['contact.opt_out', 'pidió por teléfono'],
      ['contact.opt_in', 'pidió volver'],
      ['contact.opt_out', null],
    ]);
  });

  it('renders each language and channel for a real contact, with the fallback language, field gaps and cost', async () => {
    const { status, body } = await h.api('POST', '/v1/campaigns/preview', DRAFT);
    expect(status).toBe(200);
    expect(body.recipients).toEqual({ total: 5, optedOut: 1, byChannel: { sms: 3, whatsapp: 2 }, byLanguage: { es: 2, gn: 2, pt: 1 } });
    const [step] = body.steps;
    expect(step.fallbackLanguage).toEqual({ language: 'es', recipients: 1 });
    // Carlos's school has no results, João has no school: both would be skipped.
    expect(step.mergeFields).toEqual([{ field: LEVEL, language: 'es', lacking: 2, fallbackText: null, skipped: 2 }]);

    const es = step.bodies.find((b: { language: string; channel: string }) => b.language === 'es' && b.channel === 'sms');
    expect(es.recipients).toBe(2); // Ana and João (fallback)
    expect(es.sample).toEqual({ contactId: expect.any(Number), synthetic: false, lacks: [] });
    expect(es.text).toBe(`Hola Ana: su escuela tiene nivel II en matematica.\nVerificar: ${h.baseUrl}/v/XXXXX`);
    expect(es.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const gn = step.bodies.find((b: { language: string; channel: string }) => b.language === 'gn' && b.channel === 'whatsapp');
    expect(gn.text).toMatch(/^Maitei Rosa! /);
    expect(gn.whatsapp.checks[0].message).toMatch(/no WhatsApp template/);
    const gnSms = step.bodies.find((b: { language: string; channel: string }) => b.language === 'gn' && b.channel === 'sms');
    expect(gnSms.sms).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(body.cost).toMatchObject({ currency: 'USD', total: 2 * 0.008 + (2 * 1 + 1 * 2) * 0.045 });
    expect(step).toMatchObject({ sendAt: DRAFT.steps[0]!.sendAt, shiftedBy: [] });
  });

  it('previews a stored campaign the same way, and refuses a broken draft with 400', async () => {
    const created = await h.api('POST', '/v1/campaigns', DRAFT);
    const stored = await h.api('POST', `/v1/campaigns/${created.body.id}/preview`);
    const draft = await h.api('POST', '/v1/campaigns/preview', DRAFT);
    expect(stored.body.campaign).toEqual({ id: created.body.id, name: 'Resultados 2027', status: 'draft', version: 1 });
    expect(stored.body.steps[0].bodies).toEqual(draft.body.steps[0].bodies);
    expect(stored.body.cost).toEqual(draft.body.cost);

    const broken = await h.api('POST', '/v1/campaigns/preview', { ...DRAFT, steps: [{ ...DRAFT.steps[0], content: { es: { body: 'Hola {{contact.nmae}}' } } }] });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toContain('unknown field {{contact.nmae}}');
    expect((await h.api('POST', '/v1/campaigns/999999/preview')).status).toBe(404);
  });

  it('previews an audience nobody is in yet with a made-up recipient', async () => {
    const { body } = await h.api('POST', '/v1/campaigns/preview', { ...DRAFT, audience: { roles: ['supervisor'] } });
    expect(body.recipients.total).toBe(0);
    const es = body.steps[0].bodies.find((b: { language: string; channel: string }) => b.language === 'es' && b.channel === 'sms');
    expect(es).toMatchObject({ recipients: 0, sample: { contactId: null, synthetic: true }, cost: 0 });
    expect(es.text).toMatch(/^Hola Ana Ortiz: su escuela tiene nivel III/);
  });
});
