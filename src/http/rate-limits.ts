/**
 * Rate limits (@fastify/rate-limit) with their counters in Redis, so that a limit holds across every API
 * process. Which routes are limited, and by what, comes from route-policy.ts.
 *
 * The counters use a connection of their own that fails fast: during a Redis outage a request is let
 * through unlimited (skipOnError) instead of waiting for Redis, and /readyz reports the outage.
 * Registered before authentication, so a flood is refused before any API key is verified.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { dashboardKey } from '../access/credentials.js';
import type { Config } from '../runtime/config.js';
import { HttpError } from './errors.js';
import { policyFor } from './route-policy.js';

export async function installRateLimits(app: FastifyInstance, config: Config): Promise<void> {
  const redis = new Redis(config.redisUrl, {
    connectionName: 'campana:rate-limits',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => undefined); // reported by /readyz and by the main connection's log
  app.addHook('onClose', async () => redis.disconnect());

  const scopeOf = (request: FastifyRequest) => policyFor(request.routeOptions.url ?? request.url).rateLimit;
  // Unlimited routes get no rate-limit hook at all (the plugin's onRoute hook, registered after this one,
  // skips a route whose config says false), so webhooks pay nothing for it. allowList below still
  // covers requests that match no route.
  app.addHook('onRoute', (route) => {
    if (policyFor(route.url).rateLimit === 'none' && route.config?.rateLimit === undefined) route.config = { ...route.config, rateLimit: false };
  });
  await app.register(rateLimit, {
    global: true,
    redis,
    nameSpace: `${config.queuePrefix}rate-limit:`,
    skipOnError: true,
    timeWindow: 60_000,
    allowList: (request) => scopeOf(request) === 'none',
    // One bucket per scope: a client's public-page visits and its unauthenticated API calls count apart.
    keyGenerator: (request) => (scopeOf(request) === 'api-key' ? `api:${callerKey(request)}` : `public:addr:${request.ip}`),
    max: (request) => (scopeOf(request) === 'api-key' ? config.rateLimits.apiPerMinute : config.rateLimits.publicPerMinute),
    errorResponseBuilder: (request, context) =>
      new HttpError(429, `too many requests: at most ${context.max} a minute ${scopeOf(request) === 'api-key' ? 'per API key' : 'per client address'}; retry in ${context.after}`),
  });
}

/** The API key a request presents (header or dashboard cookie), as a fingerprint; else its address. */
function callerKey(request: FastifyRequest): string {
  const key = dashboardKey(request);
  return key ? `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : `addr:${request.ip}`;
}
