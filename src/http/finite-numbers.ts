/**
 * JSON and the schema validator both turn a number too large for a double (1e400, or a query value of
 * 400 digits) into Infinity, which then passes `maximum` checks and reaches the database as nothing.
 * Every request whose validated input holds a non-finite number is refused here, naming where it is.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';

export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const path = nonFinitePath(value, part, 0);
      if (path) throw badRequest(`${path} is a number too large to use`);
    }
  });
}

function nonFinitePath(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value !== 'object' || value === null || depth > 20 || Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = nonFinitePath(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}
