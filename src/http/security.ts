/**
 * Security headers (@fastify/helmet) and body size limits by route family (route-policy.ts). HTTPS-only
 * headers (HSTS, upgrade-insecure-requests) are sent only when PUBLIC_BASE_URL is https: over plain http
 * on a laptop they would break /docs and the dashboard. The default CSP already fits both pages: their
 * scripts are served from here, their styles and fonts may come over https.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../runtime/config.js';
import { policyFor } from './route-policy.js';

export async function installSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const https = config.publicBaseUrl.startsWith('https:');
  // Added before helmet's own onRoute hook, which reads the route's `helmet` option.
  app.addHook('onRoute', (route) => {
    if (policyFor(route.url).securityHeaders === false && route.helmet === undefined) route.helmet = false;
  });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': https ? [] : null } },
    hsts: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  });
  app.addHook('onRoute', (route) => {
    const limit = policyFor(route.url).bodyLimit;
    if (limit !== undefined && route.bodyLimit === undefined) route.bodyLimit = limit;
  });
}
