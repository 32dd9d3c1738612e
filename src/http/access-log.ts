/**
 * One info line per change made through the API (every /v1 request that is not a read), so that a
 * message can be followed from the request that started it: the line carries the request id, which job
 * data and worker logs carry on. Reads are not logged at info: at webhook and polling rates they are noise.
 * Only the route pattern and its ids are logged, never the body.
 */
import type { FastifyInstance } from 'fastify';

export function logApiChanges(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route?.startsWith('/v1/') || request.method === 'GET') return;
    request.log.info(
      { method: request.method, route, params: request.params, status: reply.statusCode, userId: request.caller?.userId, keyId: request.caller?.keyId },
      'api change',
    );
  });
}
