/**
 * Four eyes and editing, on the real database: nobody approves a campaign they wrote or edited; an edit
 * to what is sent takes an approved campaign back to draft (version + 1, runs removed) until approved
 * again; steps already sent stay as they were; every change is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const STEPS = [1, 2, 3, 4].map((week) => ({ week, content: { es: { body: `Semana ${week}: resultados de la evaluación` }, gn: { body: `Arapokõindy ${week}` } } }));

describe('approval by a second person, and editing an approved campaign', () => {
  let h: Harness;
  let communicator: string;
  let approver: string;
  let id: number;

  const get = async () => (await h.api('GET', `/v1/campaigns/${id}`)).body;
  const runs = async () => (await h.services.db.pool.query('SELECT step_id, status FROM step_runs WHERE campaign_id = $1 ORDER BY step_id', [id])).rows;
  const audit = async () => (await h.api('GET', `/v1/audit?entityType=campaign&entityId=${id}`, undefined, approver)).body.items.reverse();

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    communicator = await createUserKey(h.services.db.pool, 'communicator');
    approver = await createUserKey(h.services.db.pool, 'approver');
    const created = await h.api(
      'POST',
      '/v1/campaigns',
      { name: 'Resultados 2027', audience: { roles: ['parent'] }, schedule: { startDate: inDays(30), sendTime: '09:00' }, steps: STEPS },
      communicator,
    );
    expect(created.status).toBe(201);
    id = created.body.id;
  });
  afterAll(async () => h?.close());

  it('refuses approval by whoever wrote or edited the campaign', async () => {
    // The author is a communicator: the role alone refuses them.
    expect((await h.api('POST', `/v1/campaigns/${id}/approve`, undefined, communicator)).status).toBe(403);
    // An admin who edited it may not approve it either.
    expect((await h.api('PATCH', `/v1/campaigns/${id}`, { options: { smsFallback: false } })).status).toBe(200);
    const refused = await h.api('POST', `/v1/campaigns/${id}/approve`);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/four eyes/);
    expect((await get()).status).toBe('draft');
    expect(await runs()).toEqual([]);
  });

  it('is approved by an approver who did not write it: every step scheduled', async () => {
    const approved = await h.api('POST', `/v1/campaigns/${id}/approve`, undefined, approver);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'scheduled', version: 2 });
    expect(approved.body.steps.map((s: { status: string }) => s.status)).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled']);
    expect(await runs()).toHaveLength(4);
  });

  it('goes back to draft, version + 1, without runs, when what is sent changes; re-approval schedules it again', async () => {
    const steps = structuredClone(STEPS);
    steps[2]!.content.gn.body = 'Arapokõindy 3: ñemboaty';
    const edited = await h.api('PATCH', `/v1/campaigns/${id}`, { steps }, communicator);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'draft', version: 3, approvedById: null, approvedAt: null });
    expect(edited.body.steps.map((s: { status: string }) => s.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(await runs()).toEqual([]);

    const again = await h.api('POST', `/v1/campaigns/${id}/approve`, undefined, approver);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('scheduled');
    expect(await runs()).toHaveLength(4);
  });

  it('keeps an approved campaign approved when only its name changes, and records nothing for no change', async () => {
    const renamed = await h.api('PATCH', `/v1/campaigns/${id}`, { name: 'Resultados SNEPE 2027' }, communicator);
    expect(renamed.body).toMatchObject({ status: 'scheduled', version: 3, name: 'Resultados SNEPE 2027' });
    const entries = (await audit()).length;
    expect((await h.api('PATCH', `/v1/campaigns/${id}`, { steps: (await get()).steps.map(asGiven) }, communicator)).body.status).toBe('scheduled');
    expect(await audit()).toHaveLength(entries);
  });

  it('refuses to change a step that already went out, naming it, and changes nothing', async () => {
    const [first] = (await get()).steps;
    // Step 1 went out: its run fired and completed.
    await h.services.db.pool.query(`UPDATE step_runs SET status = 'completed', fired_at = now() WHERE step_id = $1`, [first.id]);
    await h.services.db.pool.query(`UPDATE campaign_steps SET status = 'completed' WHERE id = $1`, [first.id]);

    const steps = (await get()).steps.map(asGiven);
    steps[0].content.es.body = 'Semana 1: texto cambiado';
    const refused = await h.api('PATCH', `/v1/campaigns/${id}`, { steps }, communicator);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ message: 'step 1 already went out and cannot be changed or removed: give it as stored', details: { steps: [1] } });
    expect((await h.api('PATCH', `/v1/campaigns/${id}`, { steps: steps.slice(1) }, communicator)).status).toBe(409);
    expect((await get()).version).toBe(3);
  });

  it('edits the unsent steps around a sent one, which keeps its time and run', async () => {
    const before = await get();
    const steps = before.steps.map(asGiven);
    steps[3].content.es.body = 'Semana 4: ¡gracias!';
    const edited = await h.api('PATCH', `/v1/campaigns/${id}`, { steps: steps.slice(0, 4), schedule: { sendTime: '10:00' } }, communicator);
    expect(edited.status).toBe(200);
    expect(edited.body.status).toBe('draft');
    expect(edited.body.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'pending', 'pending', 'pending']);
    expect(edited.body.steps[0].sendAt).toBe(before.steps[0].sendAt);
    expect(new Date(edited.body.steps[1].sendAt).getTime() - new Date(before.steps[1].sendAt).getTime()).toBe(3_600_000);
    expect(await runs()).toEqual([{ step_id: before.steps[0].id, status: 'completed' }]);

    const again = await h.api('POST', `/v1/campaigns/${id}/approve`, undefined, approver);
    expect(again.body.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'scheduled', 'scheduled', 'scheduled']);
    expect(await runs()).toHaveLength(4);
  });

  it('records who did what, when, in which request, with the fields that changed', async () => {
    await h.api('POST', `/v1/campaigns/${id}/pause`, undefined, approver);
    await h.api('POST', `/v1/campaigns/${id}/resume`, undefined, approver);
    await h.api('POST', `/v1/campaigns/${id}/cancel`, undefined, communicator);
    const entries = await audit();
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'campaign.create',
      'campaign.edit',
      'campaign.approve',
      'campaign.edit',
      'campaign.approve',
      'campaign.edit',
      'campaign.edit',
      'campaign.approve',
      'campaign.pause',
      'campaign.resume',
      'campaign.cancel',
    ]);
    for (const entry of entries) {
      expect(entry.userId).toEqual(expect.any(Number));
      expect(entry.requestId).toEqual(expect.any(String));
      expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 600_000);
    }
    expect(entries[3].changes).toMatchObject({
      'steps.2.content.gn.body': { from: 'Arapokõindy 3', to: 'Arapokõindy 3: ñemboaty' },
      status: { from: 'scheduled', to: 'draft' },
      version: { from: 2, to: 3 },
    });
    expect(entries[5].changes).toEqual({ name: { from: 'Resultados 2027', to: 'Resultados SNEPE 2027' } });
    // A step went out already, so resuming leads back to running.
    expect(entries[9].changes).toEqual({ status: { from: 'paused', to: 'running' } });
    expect(entries[10].changes).toEqual({ status: { from: 'running', to: 'cancelled' } });
    expect(entries[2].userName).toMatch(/^approver/);

    const byAction = await h.api('GET', `/v1/audit?action=campaign.approve&entityId=${id}`, undefined, approver);
    expect(byAction.body.items).toHaveLength(3);
    const future = await h.api('GET', `/v1/audit?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, undefined, approver);
    expect(future.body.items).toEqual([]);
    expect((await h.api('GET', '/v1/audit', undefined, communicator)).status).toBe(403);
  });

  it('times each recipients’ zone run by the quiet hours of that zone', async () => {
    for (const [phone, timezone] of [['0981400001', 'America/New_York'], ['0981400002', 'America/Asuncion']]) {
      expect((await h.api('POST', '/v1/contacts', { phone, role: 'teacher', timezone })).status).toBe(201);
    }
    const year = new Date().getUTCFullYear() + 1;
    const created = await h.api(
      'POST',
      '/v1/campaigns',
      { name: 'Docentes', audience: { roles: ['teacher'] }, schedule: { startDate: `${year}-07-05`, sendTime: '21:00', recipientLocalTime: true }, steps: [STEPS[0]] },
      communicator,
    );
    const approved = await h.api('POST', `/v1/campaigns/${created.body.id}/approve`, undefined, approver);
    const zoneRuns = approved.body.steps[0].runs.map((r: { timezone: string | null; dueAt: string }) => [r.timezone, r.dueAt]);
    // 21:00 is quiet everywhere: 07:00 the next morning in each zone (New York is on EDT in July).
    expect(zoneRuns.sort()).toEqual(
      [
        [null, `${year}-07-06T10:00:00.000Z`],
        ['America/Asuncion', `${year}-07-06T10:00:00.000Z`],
        ['America/New_York', `${year}-07-06T11:00:00.000Z`],
      ].sort(),
    );
  });
});

/** A step of the API's answer as a PATCH gives it back. */
function asGiven(step: { week: number | null; requestedAt: string; content: unknown; whatsappTemplate: unknown }) {
  return { ...(step.week !== null ? { week: step.week } : { sendAt: step.requestedAt }), content: structuredClone(step.content) as { es: { body: string } }, ...(step.whatsappTemplate ? { whatsappTemplate: step.whatsappTemplate } : {}) };
}
