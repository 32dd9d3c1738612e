/**
 * Key management on the real database: a key is shown once and stored as an argon2id hash, listings
 * never show it, expiry and revocation stop it, and the last admin key cannot be revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyVerifier } from '../../src/access/api-keys.js';
import { createUserKey, resetDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';

describe('API keys', () => {
  let h: Harness;
  let viewerId: number;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    const { rows } = await h.services.db.pool.query<{ id: number }>(`INSERT INTO users (name, role) VALUES ('Viewer', 'viewer') RETURNING id`);
    viewerId = rows[0]!.id;
  });
  afterAll(async () => h?.close());

  it('creates a key that works at once, shown only in the answer and stored as an argon2id hash', async () => {
    const created = await h.api('POST', '/v1/api-keys', { userId: viewerId, name: 'reporting' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'reporting', user: { id: viewerId, role: 'viewer' }, revokedAt: null, expiresAt: null });
    expect(created.body.key).toMatch(/^cmp_[\w-]{32}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

    expect((await h.api('GET', '/v1/contacts', undefined, created.body.key)).status).toBe(200);
    const { rows } = await h.services.db.pool.query<{ hash: string }>('SELECT hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(rows[0]!.hash).toMatch(/^\$argon2id\$/);
    expect(rows[0]!.hash).not.toContain(created.body.key);

    const listed = await h.api('GET', `/v1/api-keys?userId=${viewerId}`);
    expect(listed.body.items).toHaveLength(1);
    expect(Object.keys(listed.body.items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'user']);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    await waitFor('last use recorded', async () => (await h.api('GET', `/v1/api-keys?userId=${viewerId}`)).body.items[0].lastUsedAt !== null);
  });

  it.each([
    { case: 'no user', body: { name: 'x' }, message: "body must have required property 'userId'" },
    { case: 'an unknown user', body: { userId: 999_999 }, message: 'unknown user 999999' },
    { case: 'an expiry in the past', body: { userId: 1, expiresAt: '2020-01-01T00:00:00Z' }, message: 'expiresAt 2020-01-01T00:00:00Z is not in the future' },
    { case: 'an expiry that is no date', body: { userId: 1, expiresAt: 'next tuesday' }, message: 'body.expiresAt must match format "date-time"' },
    { case: 'an unknown field', body: { userId: 1, role: 'admin' }, message: 'body must NOT have additional properties (role)' },
  ])('refuses a key for $case with a 400 that says so', async ({ body, message }) => {
    const { status, body: answer } = await h.api('POST', '/v1/api-keys', body);
    expect(status).toBe(400);
    expect(answer.message).toBe(message);
  });

  it('stops accepting a key when it expires', async () => {
    const created = await h.api('POST', '/v1/api-keys', { userId: viewerId, expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await h.api('GET', '/v1/contacts', undefined, created.body.key)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await h.api('GET', '/v1/contacts', undefined, created.body.key)).status).toBe(401);
  });

  it('revokes a key at once in this process, and within the cache time in another', async () => {
    const created = await h.api('POST', '/v1/api-keys', { userId: viewerId });
    const otherProcess = new ApiKeyVerifier(h.services.db.pool);
    expect(await otherProcess.verify(created.body.key)).not.toBeNull();
    expect((await h.api('GET', '/v1/contacts', undefined, created.body.key)).status).toBe(200);

    const revoked = await h.api('DELETE', `/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await h.api('GET', '/v1/contacts', undefined, created.body.key)).status).toBe(401);
    // Documented: a process that verified the key before keeps it for up to 30 s; a fresh one refuses it.
    expect(await otherProcess.verify(created.body.key)).not.toBeNull();
    expect(await new ApiKeyVerifier(h.services.db.pool).verify(created.body.key)).toBeNull();

    expect((await h.api('DELETE', `/v1/api-keys/${created.body.id}`)).body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await h.api('GET', `/v1/api-keys?userId=${viewerId}`)).body.items.map((k: { id: number }) => k.id)).not.toContain(created.body.id);
    expect((await h.api('GET', `/v1/api-keys?userId=${viewerId}&includeRevoked=true`)).body.items.map((k: { id: number }) => k.id)).toContain(created.body.id);
  });

  it('answers 404 for a key that does not exist', async () => {
    const { status, body } = await h.api('DELETE', '/v1/api-keys/999999');
    expect(status).toBe(404);
    expect(body.message).toBe('API key 999999 not found');
  });

  it('refuses to revoke the last working admin key, and allows it once there is another', async () => {
    const { rows } = await h.services.db.pool.query<{ id: number }>(`SELECT k.id FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.role = 'admin'`);
    expect(rows).toHaveLength(1);
    const refused = await h.api('DELETE', `/v1/api-keys/${rows[0]!.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('last working admin key');

    const second = await createUserKey(h.services.db.pool, 'admin');
    expect((await h.api('DELETE', `/v1/api-keys/${rows[0]!.id}`, undefined, second)).status).toBe(200);
    expect((await h.api('GET', '/v1/api-keys')).status).toBe(401);
  });
});
