/** Settings as stored (one JSON value per key), overlaid on the defaults. */
import type pg from 'pg';
import { DEFAULT_SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from './settings.js';

type Queryable = Pick<pg.Pool, 'query'>;

export type StoredSetting = { value: unknown; updatedAt: Date };

export async function storedSettings(db: Queryable): Promise<Map<SettingKey, StoredSetting>> {
  const { rows } = await db.query<{ key: string; value: unknown; updated_at: Date }>('SELECT key, value, updated_at FROM settings WHERE key = ANY($1::text[])', [SETTING_KEYS]);
  return new Map(rows.map((row) => [row.key as SettingKey, { value: row.value, updatedAt: row.updated_at }]));
}

/** Every setting in force: the stored value, else the default. */
export async function loadSettings(db: Queryable): Promise<Settings> {
  const stored = await storedSettings(db);
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, stored.has(key) ? stored.get(key)!.value : DEFAULT_SETTINGS[key]])) as Settings;
}

/** Stores a checked value and returns the one it replaces (the default when none was stored). */
export async function saveSetting(client: pg.PoolClient, key: SettingKey, value: unknown): Promise<unknown> {
  const { rows } = await client.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1 FOR UPDATE', [key]);
  await client.query(
    `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
  return rows[0] ? rows[0].value : DEFAULT_SETTINGS[key];
}
