/**
 * Request ids: taken from an X-Request-Id header a proxy or client sends when it looks like an id,
 * otherwise made up; logged as `requestId` on every line of the request (the same field workers log from
 * the job's data), and returned in the X-Request-Id response header so a caller can quote it.
 */
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const REQUEST_ID_LOG_FIELD = 'requestId';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,100}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
