/** `npm run db:migrate`: creates the database if needed and applies prisma/migrations, offline. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/runtime/config.js';
import { applyMigrations, ensureDatabase } from '../src/runtime/migrations.js';

const config = loadConfig();
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'prisma', 'migrations');
if (await ensureDatabase(config.databaseUrl)) console.log(`created database ${new URL(config.databaseUrl).pathname.slice(1)}`);
const applied = await applyMigrations(config.databaseUrl, dir, (line) => console.log(line));
console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
