/** BullMQ processor: send one batch of deliveries, paced per sender. */
import { Worker } from 'bullmq';
import { sendBatch, type SendDeps } from '../src/delivery/send-batch.js';
import { QUEUE_NAMES, WORKER_SETTINGS, type SendJob } from '../src/runtime/queues.js';
import type { Services } from '../src/runtime/services.js';

export function startSendWorker(services: Services): Worker<SendJob> {
  const { config } = services;
  const deps: SendDeps = {
    pool: services.db.pool,
    provider: services.provider,
    pacer: services.pacer,
    whatsappCap: services.whatsappCap,
    sendQueue: services.queues.send,
    logger: services.logger,
    statusCallbackUrl: services.statusCallbackUrl,
    ratePerSecond: { sms: config.pacing.smsPerSecond, whatsapp: config.pacing.whatsappPerSecond },
    leaseMs: 60_000,
    verifyUrl: `${config.publicBaseUrl}/v`,
  };
  return new Worker<SendJob>(
    QUEUE_NAMES.send,
    async (job) => sendBatch(deps, job.data.runId, job.data.deliveryIds, job.data.requestId),
    { connection: services.redis, prefix: config.queuePrefix, concurrency: config.workers.sendConcurrency, ...WORKER_SETTINGS.send },
  );
}
