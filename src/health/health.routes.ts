import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../runtime/services.js';

/** /healthz: the process answers. /readyz: it can reach PostgreSQL and Redis right now. */
export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive' } }, async () => ({ status: 'ok' }));

    app.get('/readyz', { schema: { tags: ['operations'], summary: 'PostgreSQL and Redis are reachable' } }, async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        probe(() => services.db.pool.query('SELECT 1')),
        probe(() => services.redis.ping()),
      ]);
      const ready = postgres && redis;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' });
    });
  };
}

async function probe(check: () => Promise<unknown>, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
