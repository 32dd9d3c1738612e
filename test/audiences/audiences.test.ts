/** Audience previews and saved segments on the real database, against counts computed from the fixture. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { CONTACTS, countBy, departmentOf, hasResult, startWithFixture, type FixtureContact } from './fixture.js';

/** What the preview must say for the contacts a filter addresses. */
function expectedPreview(addressed: FixtureContact[]) {
  const reachable = addressed.filter((c) => !c.optedOut);
  return {
    total: addressed.length,
    optedOut: addressed.length - reachable.length,
    reachable: reachable.length,
    byRole: countBy(reachable, (c) => c.role),
    byDepartment: countBy(reachable, departmentOf),
    byLanguage: countBy(reachable, (c) => c.language),
    byChannel: countBy(reachable, (c) => c.channel),
  };
}

describe('audiences', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startWithFixture();
  });
  afterAll(async () => h?.close());

  it.each([
    ['everyone', {}, () => true],
    ['parents', { roles: ['parent'] }, (c: FixtureContact) => c.role === 'parent'],
    ['rural schools', { zones: ['rural'] }, (c: FixtureContact) => c.school?.zone === 'rural'],
    ['Guarani speakers of Itapúa and Central by SMS', { departments: ['07', '11'], languages: ['gn'], channels: ['sms'] }, (c: FixtureContact) => ['07', '11'].includes(departmentOf(c)) && c.language === 'gn' && c.channel === 'sms'],
    ['grade 3 parents of one school', { roles: ['parent'], grades: [3], schoolCodes: ['300001'] }, (c: FixtureContact) => c.role === 'parent' && c.grade === 3 && c.school?.code === '300001'],
    ['nobody', { districts: ['1799'] }, () => false],
  ])('previews %s with the exact total, opted-out count and breakdowns', async (_name, filter, addressed) => {
    const { status, body } = await h.api('POST', '/v1/audiences/preview', { filter });
    expect(status).toBe(200);
    expect(body).toEqual(expectedPreview(CONTACTS.filter(addressed)));
  });

  it('counts the reachable contacts lacking each merge field asked about', async () => {
    const fields = ['contact.name', 'contact.attributes.estudiante', 'school.name', 'school.results.grade3.math.level', 'school.results.grade3.spanish.score', 'contact.role'];
    const { body } = await h.api('POST', '/v1/audiences/preview', { filter: { roles: ['parent', 'teacher'] }, fields });
    const reachable = CONTACTS.filter((c) => ['parent', 'teacher'].includes(c.role) && !c.optedOut);
    const lacking = (has: (c: FixtureContact) => boolean) => reachable.filter((c) => !has(c)).length;
    expect(body.missingFields).toEqual([
      { field: 'contact.name', missing: lacking((c) => c.name !== null) },
      { field: 'contact.attributes.estudiante', missing: lacking((c) => c.estudiante !== null) },
      { field: 'school.name', missing: lacking((c) => c.school !== null) },
      { field: 'school.results.grade3.math.level', missing: lacking(hasResult(3, 'math')) },
      { field: 'school.results.grade3.spanish.score', missing: lacking(hasResult(3, 'spanish')) },
      { field: 'contact.role', missing: 0 },
    ]);
    expect(body.missingFields[3].missing).toBeGreaterThan(0);
  });

  it('refuses an unknown merge field and an unknown segment', async () => {
    expect((await h.api('POST', '/v1/audiences/preview', { fields: ['school.results.grade5.math.level'] })).body.message).toBe('unknown merge field(s): school.results.grade5.math.level');
    expect((await h.api('POST', '/v1/audiences/preview', { segmentId: 424242 })).body).toMatchObject({ message: 'unknown segment 424242' });
  });

  it('saves segments, previews them alone and narrowed by a filter, and lists them', async () => {
    const created = await h.api('POST', '/v1/segments', { name: 'Padres rurales', description: 'Zona rural', filter: { roles: ['parent'], zones: ['rural'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), name: 'Padres rurales', filter: { roles: ['parent'], zones: ['rural'] } });
    expect((await h.api('POST', '/v1/segments', { name: 'Padres rurales', filter: {} })).status).toBe(409);

    const rural = (c: FixtureContact) => c.role === 'parent' && c.school?.zone === 'rural';
    expect((await h.api('POST', '/v1/audiences/preview', { segmentId: created.body.id })).body).toEqual(expectedPreview(CONTACTS.filter(rural)));
    expect((await h.api('POST', '/v1/audiences/preview', { segmentId: created.body.id, filter: { languages: ['gn'] } })).body).toEqual(expectedPreview(CONTACTS.filter((c) => rural(c) && c.language === 'gn')));

    expect((await h.api('GET', `/v1/segments/${created.body.id}`)).body).toMatchObject({ name: 'Padres rurales', description: 'Zona rural' });
    expect((await h.api('GET', '/v1/segments')).body).toMatchObject({ items: [{ id: created.body.id }], nextAfter: null });
  });

  it('refuses a segment with a filter it does not understand', async () => {
    expect((await h.api('POST', '/v1/segments', { name: 'Mal', filter: { zones: ['suburban'] } })).status).toBe(400);
    expect((await h.api('POST', '/v1/segments', { name: 'Mal', filter: { roles: ['parent'], colour: 'blue' } })).status).toBe(400);
  });

  it('deletes a segment unless a campaign that may still send uses it', async () => {
    const used = await h.api('POST', '/v1/segments', { name: 'Docentes', filter: { roles: ['teacher'] } });
    const campaign = await h.api('POST', '/v1/campaigns', { name: 'Aviso a docentes', segmentId: used.body.id, steps: [{ sendAt: new Date(Date.now() + 86_400_000).toISOString(), content: { es: { body: 'Hola' } } }] });
    expect(campaign.status).toBe(201);
    const refused = await h.api('DELETE', `/v1/segments/${used.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`segment ${used.body.id} is used by campaign(s) ${campaign.body.id}, which may still send`);

    const unused = await h.api('POST', '/v1/segments', { name: 'Directores', filter: { roles: ['director'] } });
    expect((await h.api('DELETE', `/v1/segments/${unused.body.id}`)).status).toBe(204);
    expect((await h.api('GET', `/v1/segments/${unused.body.id}`)).status).toBe(404);
    expect((await h.api('DELETE', `/v1/segments/${unused.body.id}`)).status).toBe(404);
  });
});
