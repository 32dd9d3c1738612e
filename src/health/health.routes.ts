import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { within } from '../operations/time-limit.js';
import type { Services } from '../runtime/services.js';

const State = Type.Union([Type.Literal('up'), Type.Literal('down')]);
const Readiness = Type.Object(
  { status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]), postgres: State, redis: State },
  { examples: [{ status: 'unavailable', postgres: 'up', redis: 'down' }] },
);

/** /healthz: the process answers. /readyz: it can reach PostgreSQL and Redis right now. */
export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', {
      schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    }, async () => ({ status: 'ok' }));

    app.get('/readyz', {
      schema: { tags: ['operations'], summary: 'PostgreSQL and Redis are reachable (503 when either is not)', response: { 200: Readiness, 503: Readiness } },
    }, async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        probe(() => services.db.pool.query('SELECT 1')),
        probe(() => services.redis.ping()),
      ]);
      const ready = postgres && redis;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' });
    });
  };
}

/** True when `check` succeeds within a second: a probe answers even while a store hangs. */
async function probe(check: () => Promise<unknown>): Promise<boolean> {
  return (await within(1000, async () => (await check(), true))) === true;
}
