/**
 * Settings through the API, and their effect on a campaign's computed schedule: quiet hours and blackout
 * dates move week-based steps at creation, and again at approval when the rules changed in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';

const nextYear = new Date().getUTCFullYear() + 1;
const WINTER_BREAK = { from: `${nextYear}-07-12`, to: `${nextYear}-07-23`, reason: 'Vacaciones de invierno' };

describe('deployment settings', () => {
  let h: Harness;
  let communicator: string;
  let approver: string;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    communicator = await createUserKey(h.services.db.pool, 'communicator');
    approver = await createUserKey(h.services.db.pool, 'approver');
  });
  afterAll(async () => h?.close());

  it('lists every setting, saying which are still defaults', async () => {
    const { status, body } = await h.api('GET', '/v1/settings', undefined, communicator);
    expect(status).toBe(200);
    expect(body.items.map((s: { key: string }) => s.key)).toEqual(['prices', 'quietHours', 'blackoutDates', 'senderName']);
    expect(body.items[0]).toMatchObject({ key: 'prices', value: { currency: 'USD', smsPerSegment: 0.045, whatsappPerMessage: 0.008 }, isDefault: true });
  });

  it('lets admins replace one, checked, with the change in the audit log', async () => {
    const saved = await h.api('PUT', '/v1/settings/blackoutDates', { value: [WINTER_BREAK] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ key: 'blackoutDates', value: [WINTER_BREAK], isDefault: false });

    expect((await h.api('PUT', '/v1/settings/blackoutDates', { value: [] }, communicator)).status).toBe(403);
    const bad = await h.api('PUT', '/v1/settings/quietHours', { value: { start: '20:00', end: '20:00' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('quietHours: start and end are both 20:00; use null for no quiet hours');
    expect((await h.api('PUT', '/v1/settings/prices', { value: { currency: 'USD', smsPerSegment: 'free', whatsappPerMessage: 0 } })).status).toBe(400);
    expect((await h.api('PUT', '/v1/settings/colour', { value: 'blue' })).status).toBe(400);

    const audit = await h.api('GET', '/v1/audit?entityType=setting&entityId=blackoutDates');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'setting.update', changes: { blackoutDates: { from: [], to: [WINTER_BREAK] } } });
  });

  it('shows how quiet hours and blackout dates moved each week-based step, and keeps an explicit instant', async () => {
    const created = await h.api(
      'POST',
      '/v1/campaigns',
      {
        name: 'Invierno',
        schedule: { startDate: `${nextYear}-07-05`, sendTime: '21:00' },
        steps: [
          { week: 1, content: { es: { body: 'Semana 1' } } },
          { week: 2, content: { es: { body: 'Semana 2' } } },
          { sendAt: `${nextYear}-07-14T22:00:00-03:00`, content: { es: { body: 'Aviso urgente' } } },
        ],
      },
      communicator,
    );
    expect(created.status).toBe(201);
    const [week1, week2, urgent] = created.body.steps;
    expect(week1).toMatchObject({ requestedAt: `${nextYear}-07-06T00:00:00.000Z`, sendAt: `${nextYear}-07-06T10:00:00.000Z` });
    expect(week1.shiftedBy).toEqual([{ rule: 'quietHours', from: `${nextYear}-07-06T00:00:00.000Z`, to: `${nextYear}-07-06T10:00:00.000Z` }]);
    expect(week2.sendAt).toBe(`${nextYear}-07-24T10:00:00.000Z`);
    expect(week2.shiftedBy.map((s: { rule: string; reason?: string }) => s.reason ?? s.rule)).toEqual(['quietHours', 'Vacaciones de invierno']);
    expect(urgent).toMatchObject({ sendAt: `${nextYear}-07-15T01:00:00.000Z`, shiftedBy: [] });
    expect(urgent.timingNotice).toMatch(/sent as given/);

    // Quiet hours turned off before approval: approval computes the times again.
    expect((await h.api('PUT', '/v1/settings/quietHours', { value: null })).status).toBe(200);
    const approved = await h.api('POST', `/v1/campaigns/${created.body.id}/approve`, undefined, approver);
    expect(approved.status).toBe(200);
    expect(approved.body.steps[0]).toMatchObject({ sendAt: `${nextYear}-07-06T00:00:00.000Z`, shiftedBy: [] });
    // 21:00 on 24 July, the day after the break.
    expect(approved.body.steps[1].sendAt).toBe(`${nextYear}-07-25T00:00:00.000Z`);
    expect(approved.body.steps[0].runs).toEqual([expect.objectContaining({ timezone: null, dueAt: `${nextYear}-07-06T00:00:00.000Z` })]);
    const audit = await h.api('GET', `/v1/audit?action=campaign.approve&entityId=${created.body.id}`);
    expect(audit.body.items[0].changes['steps.1.sendAt']).toEqual({ from: `${nextYear}-07-06T10:00:00.000Z`, to: `${nextYear}-07-06T00:00:00.000Z` });
  });

  it('exports the steps as an iCalendar feed', async () => {
    const { body } = await h.api('GET', '/v1/campaigns');
    const response = await fetch(`${h.baseUrl}/v1/campaigns/${body.items[0].id}/calendar.ics`, { headers: { authorization: `Bearer ${communicator}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await response.text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(ics).toContain(`DTSTART:${nextYear}0725T000000Z`);
  });

  it('refuses to approve a campaign the rules leave no time for, naming the step', async () => {
    const created = await h.api('POST', '/v1/campaigns', { name: 'Tarde', schedule: { startDate: `${nextYear}-03-01`, sendTime: '09:00' }, steps: [{ week: 1, content: { es: { body: 'Hola' } } }] }, communicator);
    expect(created.status).toBe(201);
    expect((await h.api('PUT', '/v1/settings/blackoutDates', { value: [{ from: `${nextYear}-01-01`, to: `${nextYear + 5}-12-31`, reason: 'typo' }] })).status).toBe(200);
    const shown = await h.api('GET', `/v1/campaigns/${created.body.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.steps[0].timingNotice).toMatch(/no time/);
    const refused = await h.api('POST', `/v1/campaigns/${created.body.id}/approve`, undefined, approver);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^step 1: quiet hours and blackout dates leave no time/);
    expect((await h.api('GET', `/v1/campaigns/${created.body.id}`)).body.status).toBe('draft');
  });
});
