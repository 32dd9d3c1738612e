/**
 * API keys as administrators manage them: create (the key is returned once, only its hash is kept),
 * list (never the hash), revoke. Revoking the last working admin key is refused: nobody could then
 * manage keys without restarting the service with CAMPANA_ADMIN_KEY.
 */
import type pg from 'pg';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { generateApiKey, insertKey } from './api-keys.js';

export type ApiKeyListing = {
  id: number;
  prefix: string;
  name: string;
  user: { id: number; name: string; role: string };
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

type KeyRow = Omit<ApiKeyListing, 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'revokedAt'> & { createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null };

const LISTING = `
  SELECT k.id, k.prefix, k.name, json_build_object('id', u.id, 'name', u.name, 'role', u.role) AS "user",
         k.created_at AS "createdAt", k.expires_at AS "expiresAt", k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt"
  FROM api_keys k JOIN users u ON u.id = k.user_id`;

export async function createApiKey(pool: pg.Pool, input: { userId: number; name?: string; expiresAt?: string }): Promise<ApiKeyListing & { key: string }> {
  const expiresAt = input.expiresAt === undefined ? undefined : new Date(input.expiresAt);
  if (expiresAt && !(expiresAt.getTime() > Date.now())) throw badRequest(`expiresAt ${input.expiresAt} is not in the future`);
  const { rows: users } = await pool.query<{ disabled: boolean }>('SELECT disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1', [input.userId]);
  if (!users[0]) throw badRequest(`unknown user ${input.userId}`);
  if (users[0].disabled) throw badRequest(`user ${input.userId} is disabled`);
  const key = generateApiKey();
  const id = await insertKey(pool, input.userId, input.name ?? 'API key', key, expiresAt);
  return { ...(await findApiKey(pool, id))!, key };
}

export async function listApiKeys(pool: pg.Pool, filter: { userId?: number; includeRevoked: boolean }): Promise<ApiKeyListing[]> {
  const { rows } = await pool.query<KeyRow>(
    `${LISTING} WHERE ($1::int IS NULL OR k.user_id = $1) AND ($2 OR k.revoked_at IS NULL) ORDER BY k.id`,
    [filter.userId ?? null, filter.includeRevoked],
  );
  return rows.map(listing);
}

/** Revokes a key (again: no change); answers the key as it now is. */
export async function revokeApiKey(pool: pg.Pool, id: number): Promise<ApiKeyListing> {
  const { rows } = await pool.query<{ revoked: boolean; last_admin_key: boolean }>(
    `SELECT k.revoked_at IS NOT NULL AS revoked,
            u.role = 'admin' AND NOT EXISTS (
              SELECT 1 FROM api_keys o JOIN users ou ON ou.id = o.user_id
              WHERE o.id <> k.id AND ou.role = 'admin' AND ou.disabled_at IS NULL AND o.revoked_at IS NULL
                AND (o.expires_at IS NULL OR o.expires_at > now())) AS last_admin_key
     FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1`,
    [id],
  );
  if (!rows[0]) throw notFound(`API key ${id}`);
  if (!rows[0].revoked) {
    if (rows[0].last_admin_key) throw conflict(`API key ${id} is the last working admin key: create another admin key first`);
    await pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  }
  return (await findApiKey(pool, id))!;
}

async function findApiKey(pool: pg.Pool, id: number): Promise<ApiKeyListing | undefined> {
  const { rows } = await pool.query<KeyRow>(`${LISTING} WHERE k.id = $1`, [id]);
  return rows[0] && listing(rows[0]);
}

function listing(row: KeyRow): ApiKeyListing {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return { ...row, createdAt: row.createdAt.toISOString(), expiresAt: iso(row.expiresAt), lastUsedAt: iso(row.lastUsedAt), revokedAt: iso(row.revokedAt) };
}
