/**
 * API keys are random, shown once, and stored only as argon2id hashes. Verifying argon2 costs tens of
 * milliseconds by design, so a verified key is remembered (by its SHA-256, in memory) for a short while;
 * a revoked or expired key stops working within that time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import type { Role } from './permissions.js';

export const KEY_PREFIX_LENGTH = 12;
const CACHE_MS = 30_000;

export type Caller = { userId: number; keyId: number; role: Role; departments: string[] };

type CachedCaller = Caller & { until: number; expiresAt: Date | null };

export function generateApiKey(): string {
  return `cmp_${randomBytes(24).toString('base64url')}`;
}

export function hashApiKey(key: string): Promise<string> {
  return hash(key);
}

export class ApiKeyVerifier {
  private readonly cache = new Map<string, CachedCaller>();
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(private readonly pool: pg.Pool) {}

  /** The caller a key belongs to, or null for an unknown, revoked, expired or disabled key. */
  async verify(key: string): Promise<Caller | null> {
    const fingerprint = createHash('sha256').update(key).digest('hex');
    const now = Date.now();
    const cached = this.cache.get(fingerprint);
    if (cached && cached.until > now && (!cached.expiresAt || cached.expiresAt.getTime() > now)) return cached;
    this.cache.delete(fingerprint);

    const { rows } = await this.pool.query<{ key_id: number; hash: string; expires_at: Date | null; user_id: number; role: Role; departments: string[] | null }>(
      `SELECT k.id AS key_id, k.hash, k.expires_at, u.id AS user_id, u.role, u.departments
       FROM api_keys k JOIN users u ON u.id = k.user_id
       WHERE k.prefix = $1 AND k.revoked_at IS NULL AND u.disabled_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
      [key.slice(0, KEY_PREFIX_LENGTH)],
    );
    for (const row of rows) {
      if (await verify(row.hash, key).catch(() => false)) {
        const caller: CachedCaller = { userId: row.user_id, keyId: row.key_id, role: row.role, departments: row.departments ?? [], until: now + CACHE_MS, expiresAt: row.expires_at };
        this.cache.set(fingerprint, caller);
        this.touch(row.key_id);
        return caller;
      }
    }
    return null;
  }

  /** Forgets a revoked key at once in this process; other processes stop accepting it within CACHE_MS. */
  forget(keyId: number): void {
    for (const [fingerprint, caller] of this.cache) if (caller.keyId === keyId) this.cache.delete(fingerprint);
  }

  /** Records last use at most once a minute per key, off the request's path. */
  private touch(keyId: number): void {
    const now = Date.now();
    if ((this.lastUsedWritten.get(keyId) ?? 0) > now - 60_000) return;
    this.lastUsedWritten.set(keyId, now);
    this.pool.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [keyId]).catch(() => undefined);
  }
}

/**
 * Makes CAMPANA_ADMIN_KEY a working admin key (the first one an operator has), or, with none configured
 * and no admin yet, creates one and returns it so that it can be shown once.
 */
export async function ensureAdminKey(pool: pg.Pool, configuredKey: string | undefined): Promise<string | null> {
  if (configuredKey) {
    if (await new ApiKeyVerifier(pool).verify(configuredKey)) return null;
    await insertKey(pool, await adminUserId(pool), 'CAMPANA_ADMIN_KEY', configuredKey);
    return null;
  }
  const { rowCount } = await pool.query(`SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
  if (rowCount) return null;
  const key = generateApiKey();
  await insertKey(pool, await adminUserId(pool), 'first admin key', key);
  return key;
}

async function adminUserId(pool: pg.Pool): Promise<number> {
  const existing = await pool.query<{ id: number }>(`SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id LIMIT 1`);
  if (existing.rows[0]) return existing.rows[0].id;
  const created = await pool.query<{ id: number }>(`INSERT INTO users (name, role) VALUES ('Administrator', 'admin') RETURNING id`);
  return created.rows[0]!.id;
}

export async function insertKey(pool: pg.Pool, userId: number, name: string, key: string, expiresAt?: Date): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'INSERT INTO api_keys (user_id, name, prefix, hash, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [userId, name, key.slice(0, KEY_PREFIX_LENGTH), await hashApiKey(key), expiresAt ?? null],
  );
  return rows[0]!.id;
}
