/**
 * Authentication and authorisation of every /v1 route, in one place. A route declares its permission in
 * `config.permission`; registering a /v1 route without one fails at start, so no route is left open
 * by omission. The check is attached to each route after the rate limiter, so a flood is refused before
 * any key is verified.
 */
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { HttpError } from '../http/errors.js';
import type { ApiKeyVerifier, Caller } from './api-keys.js';
import { bearerKey } from './credentials.js';
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
    const permission = route.config?.permission;
    if (route.url.startsWith('/v1/') && !permission) {
      throw new Error(`route ${route.method} ${route.url} declares no permission`);
    }
    if (!permission) return;
    const check: onRequestHookHandler = async (request) => {
      request.caller = await authorize(verifier, bearerKey(request), permission);
    };
    route.onRequest = [...[route.onRequest ?? []].flat(), check];
  });
}

/** The caller a key belongs to when its role has the permission; 401 or 403 otherwise. */
export async function authorize(verifier: ApiKeyVerifier, key: string | undefined, permission: Permission): Promise<Caller> {
  if (!key) throw new HttpError(401, 'missing API key: send "Authorization: Bearer <api key>"');
  const caller = await verifier.verify(key);
  if (!caller) throw new HttpError(401, 'unknown, expired or revoked API key');
  if (!allows(caller.role, permission)) throw new HttpError(403, `the ${caller.role} role may not do this (needs ${permission})`);
  return caller;
}

/** The authenticated caller of a /v1 route (set by the hook above). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'not authenticated');
  return request.caller;
}
