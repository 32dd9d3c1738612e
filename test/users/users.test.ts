/**
 * People and their reach, on the real database: users are created by admins only, and a communicator
 * limited to some departments cannot create or edit a campaign whose audience leaves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const campaign = (departments?: string[]) => ({
  name: 'Reunión de padres',
  audience: { roles: ['parent'], ...(departments ? { departments } : {}) },
  schedule: { startDate: inDays(30), sendTime: '09:00' },
  steps: [{ week: 1, content: { es: { body: 'Reunión de padres el lunes' } } }],
});

describe('users and department scope', () => {
  let h: Harness;
  let approver: string;
  let central: string;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    approver = await createUserKey(h.services.db.pool, 'approver');
    central = await createUserKey(h.services.db.pool, 'communicator', ['11', '00']);
  });
  afterAll(async () => h?.close());

  it('lets admins add users with a role, and departments for communicators only', async () => {
    const created = await h.api('POST', '/v1/users', { name: 'Lucía Benítez', email: 'lucia@inee.edu.py', role: 'communicator', departments: ['11'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Lucía Benítez', email: 'lucia@inee.edu.py', role: 'communicator', departments: ['11'], disabledAt: null });

    expect((await h.api('POST', '/v1/users', { name: 'X', email: 'lucia@inee.edu.py', role: 'viewer' })).status).toBe(409);
    const scopedApprover = await h.api('POST', '/v1/users', { name: 'Y', role: 'approver', departments: ['11'] });
    expect(scopedApprover.status).toBe(400);
    expect(scopedApprover.body.message).toMatch(/communicators only/);
    expect((await h.api('POST', '/v1/users', { name: 'Z', role: 'superuser' })).status).toBe(400);
    expect((await h.api('POST', '/v1/users', { name: 'Z', role: 'viewer' }, approver)).status).toBe(403);

    const list = await h.api('GET', '/v1/users?role=communicator');
    expect(list.body.items.map((u: { name: string }) => u.name)).toContain('Lucía Benítez');
    expect(list.body.items.every((u: { role: string }) => u.role === 'communicator')).toBe(true);
    expect((await h.api('GET', '/v1/users', undefined, approver)).status).toBe(403);

    const audit = await h.api('GET', `/v1/audit?entityType=user&entityId=${created.body.id}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'user.create', changes: { role: { from: null, to: 'communicator' }, departments: { from: null, to: ['11'] } } });
  });

  it('lets a communicator address their own departments only', async () => {
    const before = (await h.api('GET', '/v1/campaigns')).body.items.length;
    const own = await h.api('POST', '/v1/campaigns', campaign(['11']), central);
    expect(own.status).toBe(201);

    const wider = await h.api('POST', '/v1/campaigns', campaign(['11', '07']), central);
    expect(wider.status).toBe(403);
    expect(wider.body.message).toBe('the audience includes departments you may not address (07); yours: 11, 00');
    const national = await h.api('POST', '/v1/campaigns', campaign(), central);
    expect(national.status).toBe(403);
    expect(national.body.message).toMatch(/no department filter/);
    expect((await h.api('GET', '/v1/campaigns')).body.items).toHaveLength(before + 1);

    const moved = await h.api('PATCH', `/v1/campaigns/${own.body.id}`, { audience: { roles: ['parent'], departments: ['07'] } }, central);
    expect(moved.status).toBe(403);
    expect((await h.api('GET', `/v1/campaigns/${own.body.id}`)).body.audience).toEqual({ roles: ['parent'], departments: ['11'] });

    // An unlimited communicator (and an admin) may address the whole country.
    const anywhere = await createUserKey(h.services.db.pool, 'communicator');
    expect((await h.api('POST', '/v1/campaigns', campaign(), anywhere)).status).toBe(201);
  });
});
