/** A one-step SMS campaign to many contacts, for tests that disturb the service while it sends. */
import type pg from 'pg';
import { expect } from 'vitest';

export type ApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Inserts `count` SMS contacts with numbers +5959830NNNNN and returns those numbers. */
export async function insertSmsContacts(pool: pg.Pool, count: number): Promise<string[]> {
  const phones = Array.from({ length: count }, (_, i) => `+5959830${String(i).padStart(5, '0')}`);
  await pool.query(`INSERT INTO contacts (phone, role, language, channel) SELECT unnest($1::text[]), 'parent', 'es', 'sms'`, [phones]);
  return phones;
}

/** `author` creates, `approver` approves a campaign whose one step goes to every parent in `inMs`; returns its id. */
export async function approveOneStep(author: ApiCall, approver: ApiCall, inMs: number): Promise<number> {
  const created = await author('POST', '/v1/campaigns', {
    name: 'Disturbed',
    audience: { roles: ['parent'] },
    steps: [{ sendAt: new Date(Date.now() + inMs).toISOString(), content: { es: { body: 'Aviso de la escuela' } } }],
  });
  expect(created.status).toBe(201);
  expect((await approver('POST', `/v1/campaigns/${created.body.id}/approve`)).status).toBe(200);
  return created.body.id;
}

export async function campaignCompleted(api: ApiCall, id: number): Promise<boolean> {
  return (await api('GET', `/v1/campaigns/${id}`)).body.status === 'completed';
}
