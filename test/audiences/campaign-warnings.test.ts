/**
 * POST /v1/campaigns answers with the merge fields some recipients lack, per step and language, counted
 * among the recipients of each text (fixture counts computed independently).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { CONTACTS, hasResult, startWithFixture, type FixtureContact } from './fixture.js';

const TEMPLATE_SID = `HX${'2'.repeat(32)}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('merge-field warnings at campaign creation', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startWithFixture();
  });
  afterAll(async () => h?.close());

  it('lists, per step and language, how many recipients of that text lack each field, with its fallback', async () => {
    const { status, body } = await h.api('POST', '/v1/campaigns', {
      name: 'Resultados SNEPE',
      audience: { roles: ['parent'] },
      options: { mergeFallbacks: { 'contact.name': 'familia' } },
      steps: [
        {
          sendAt: inDays(1),
          content: {
            es: { body: 'Hola {{contact.name}}: en matemática, 3er grado, su escuela obtuvo nivel {{school.results.grade3.math.level}}.' },
            gn: { body: 'Maitei {{contact.name}}: castellano {{school.results.grade3.spanish.score}}.' },
          },
          whatsappTemplate: { contentSid: TEMPLATE_SID, variables: { '1': '{{contact.attributes.estudiante}}', '2': '{{campaign.name}}' } },
        },
        { sendAt: inDays(2), content: { es: { body: 'Gracias, {{school.name}}.' } } },
      ],
    });
    expect(status).toBe(201);

    const parents = CONTACTS.filter((c) => c.role === 'parent' && !c.optedOut);
    const lacking = (recipients: FixtureContact[], has: (c: FixtureContact) => boolean) => recipients.filter((c) => !has(c)).length;
    const es = parents.filter((c) => c.language === 'es');
    const gn = parents.filter((c) => c.language === 'gn');
    const onWhatsapp = (group: FixtureContact[]) => group.filter((c) => c.channel === 'whatsapp');
    const expected = [
      { step: 1, language: 'es', field: 'contact.name', missing: lacking(es, (c) => c.name !== null), fallback: 'familia' },
      { step: 1, language: 'es', field: 'school.results.grade3.math.level', missing: lacking(es, hasResult(3, 'math')), fallback: null },
      { step: 1, language: 'es', field: 'contact.attributes.estudiante', missing: lacking(onWhatsapp(es), (c) => c.estudiante !== null), fallback: null },
      { step: 1, language: 'gn', field: 'contact.name', missing: lacking(gn, (c) => c.name !== null), fallback: 'familia' },
      { step: 1, language: 'gn', field: 'school.results.grade3.spanish.score', missing: lacking(gn, hasResult(3, 'spanish')), fallback: null },
      { step: 1, language: 'gn', field: 'contact.attributes.estudiante', missing: lacking(onWhatsapp(gn), (c) => c.estudiante !== null), fallback: null },
      // Step 2 has only Spanish: everyone gets it, and every parent has a school.
      { step: 2, language: 'es', field: 'school.name', missing: lacking(parents, (c) => c.school !== null), fallback: null },
    ].filter((w) => w.missing > 0);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(body.warnings).toEqual(expected);
    expect(body).toMatchObject({ status: 'draft', name: 'Resultados SNEPE' });
  });

  it('has no warnings when every recipient has every field', async () => {
    const { status, body } = await h.api('POST', '/v1/campaigns', {
      name: 'Aviso',
      audience: { schoolCodes: ['300001'], roles: ['parent'] },
      steps: [{ sendAt: inDays(1), content: { es: { body: '{{school.name}}: resultados {{school.results.grade3.math.score}}, {{campaign.name}}' } } }],
    });
    expect(status).toBe(201);
    expect(body.warnings).toEqual([]);
  });

  it('refuses a campaign naming a segment that does not exist', async () => {
    const { status, body } = await h.api('POST', '/v1/campaigns', { name: 'X', segmentId: 999, steps: [{ sendAt: inDays(1), content: { es: { body: 'Hola' } } }] });
    expect(status).toBe(400);
    expect(body.message).toBe('unknown segment 999');
  });
});
