import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections that block (workers); the others keep
 * ioredis' retries off as well so that a Redis outage makes callers wait and resume, not fail fast
 * and drop work. `/readyz` is what reports the outage.
 */
export function connectRedis(url: string, logger: Logger, name: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `campana:${name}`,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let reported = false;
  redis.on('error', (err: Error) => {
    if (!reported) logger.warn({ err: err.message, connection: name }, 'redis connection error');
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) logger.info({ connection: name }, 'redis connection restored');
    reported = false;
  });
  return redis;
}
