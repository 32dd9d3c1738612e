/**
 * Where a request presents its API key. The API takes it only from the Authorization header; the queue
 * dashboard, a browser page, also from its HttpOnly cookie. The API never reads the cookie: a browser
 * sends cookies on its own, which would let any web page act on the API with an admin's session.
 */
import type { FastifyRequest } from 'fastify';

/** Scoped to the dashboard's path: the browser sends it nowhere else. */
export const DASHBOARD_COOKIE = 'campana_dashboard_key';

const BEARER = /^Bearer\s+(\S{16,200})$/i;

export function bearerKey(request: FastifyRequest): string | undefined {
  return request.headers.authorization?.match(BEARER)?.[1];
}

export function dashboardKey(request: FastifyRequest): string | undefined {
  return bearerKey(request) ?? cookieValue(request.headers.cookie, DASHBOARD_COOKIE);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
