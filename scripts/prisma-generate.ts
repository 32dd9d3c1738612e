/**
 * `prisma generate` without network access: Prisma 7's client needs no engine binary, but the CLI
 * insists on locating a schema engine first. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
 * satisfies it; a real engine, when one is installed and configured, is left alone.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
execFileSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
