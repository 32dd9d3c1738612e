/**
 * Everything a process talks to, opened once and closed once: configuration, logger, database, Redis,
 * queues, the messaging provider and the pacer. API and workers take what they need from here.
 */
import type { Redis } from 'ioredis';
import { Pacer } from '../delivery/pacing.js';
import { WhatsappCap } from '../delivery/whatsapp-cap.js';
import type { MessageProvider } from '../providers/provider.js';
import { SandboxProvider } from '../providers/sandbox.js';
import { TwilioProvider } from '../providers/twilio.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './database.js';
import type { Logger } from './logger.js';
import { createQueues, type Queues } from './queues.js';
import { connectRedis } from './redis.js';

export type Services = {
  config: Config;
  logger: Logger;
  db: Database;
  redis: Redis;
  queues: Queues;
  provider: MessageProvider;
  pacer: Pacer;
  whatsappCap: WhatsappCap;
  /** The URL Twilio posts status callbacks to. */
  statusCallbackUrl: string;
  close(): Promise<void>;
};

export function openServices(config: Config, logger: Logger, options: { provider?: MessageProvider } = {}): Services {
  const db = openDatabase(config.databaseUrl, logger, config.databasePoolSize);
  const redis = connectRedis(config.redisUrl, logger, 'commands');
  const queues = createQueues(redis, config.queuePrefix, logger);
  const provider: MessageProvider =
    options.provider ??
    (config.twilio ? new TwilioProvider(config.twilio) : new SandboxProvider(db.pool, config.sandbox, config.webhookAuthToken, logger));
  return {
    config,
    logger,
    db,
    redis,
    queues,
    provider,
    pacer: new Pacer(redis, config.queuePrefix),
    whatsappCap: new WhatsappCap(redis, config.queuePrefix, config.pacing.whatsappDailyRecipients),
    statusCallbackUrl: `${config.publicBaseUrl}/webhooks/twilio/status`,
    async close() {
      await provider.close?.();
      await queues.close();
      redis.disconnect();
      await db.close();
    },
  };
}
