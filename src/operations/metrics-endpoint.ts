/**
 * Where Prometheus scrapes: GET /metrics on the API, and on worker processes a small HTTP listener on
 * METRICS_PORT (workers have no HTTP server of their own). With METRICS_TOKEN set, both ask for
 * "Authorization: Bearer <token>".
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Config } from '../runtime/config.js';
import { metrics, registry } from './metrics.js';

export function metricsRoutes(config: Config): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', {
      schema: { tags: ['operations'], summary: 'Prometheus metrics of this process, and queue and import gauges', produces: ['text/plain'], security: config.metricsToken ? [{ metricsToken: [] }] : [] },
    }, async (request, reply) => {
      if (!scrapeAllowed(config.metricsToken, request.headers.authorization)) return reply.status(401).send({ error: 'Unauthorized', message: 'send "Authorization: Bearer <METRICS_TOKEN>"' });
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  };
}

/** Counts every request by its route pattern (never the raw URL: ids would make a series each). */
export function countRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}

/** The listener of worker processes. */
export async function startMetricsListener(port: number, token: string | undefined): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') return void response.writeHead(404).end();
    if (!scrapeAllowed(token, request.headers.authorization)) return void response.writeHead(401).end();
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return server;
}

function scrapeAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
