/**
 * Authentication and authorisation of every /v1 route, in one hook. A route declares its permission in
 * `config.permission`; registering a /v1 route without one fails at start, so no route is left open
 * by omission.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';
import type { ApiKeyVerifier, Caller } from './api-keys.js';
import { allows, type Permission } from './permissions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}

export function installAuthentication(app: FastifyInstance, verifier: ApiKeyVerifier): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/') && !route.config?.permission) {
      throw new Error(`route ${route.method} ${route.url} declares no permission`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (!permission) return;
    const caller = await authenticate(request, verifier);
    if (!allows(caller.role, permission)) throw new HttpError(403, `the ${caller.role} role may not do this (needs ${permission})`);
    request.caller = caller;
  });
}

async function authenticate(request: FastifyRequest, verifier: ApiKeyVerifier): Promise<Caller> {
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S{16,200})$/i);
  if (!match) throw new HttpError(401, 'missing API key: send "Authorization: Bearer <api key>"');
  const caller = await verifier.verify(match[1]!);
  if (!caller) throw new HttpError(401, 'unknown, expired or revoked API key');
  return caller;
}

/** The authenticated caller of a /v1 route (set by the hook above). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'not authenticated');
  return request.caller;
}
