/**
 * One pg pool per process, shared by Prisma (through @prisma/adapter-pg) and by the hot paths that
 * need set-based SQL (fan-out, status updates): both draw connections from the same place.
 */
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from './logger.js';

export type Database = {
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
};

export function openDatabase(url: string, logger: Logger, maxConnections = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, idleTimeoutMillis: 30_000 });
  // A restarting PostgreSQL closes idle connections; the pool replaces them, the process must not die.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection lost'));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Runs `work` in one transaction on one connection of the pool. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
