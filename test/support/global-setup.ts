/** Once per test run: a fresh test database with every migration applied. */
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, ensureDatabase } from '../../src/runtime/migrations.js';

export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campana_test';
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await client.end();
  await applyMigrations(url, path.resolve('prisma/migrations'));
}
