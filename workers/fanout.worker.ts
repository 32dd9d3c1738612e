/** BullMQ processor: fan a due step run out into deliveries and send jobs. */
import { Worker } from 'bullmq';
import { fanOutRun } from '../src/delivery/fanout.js';
import { QUEUE_NAMES, WORKER_SETTINGS, type FanoutJob } from '../src/runtime/queues.js';
import type { Services } from '../src/runtime/services.js';

export function startFanoutWorker(services: Services): Worker<FanoutJob> {
  const deps = {
    pool: services.db.pool,
    sendQueue: services.queues.send,
    chunkSize: services.config.workers.fanoutChunk,
    batchSize: services.config.workers.sendBatchSize,
    whatsappAvailable: services.provider.senderFor('whatsapp') !== null,
  };
  return new Worker<FanoutJob>(
    QUEUE_NAMES.fanout,
    async (job) => {
      const result = await fanOutRun(deps, job.data.runId, job.data.requestId);
      services.logger.info({ runId: job.data.runId, targeted: result.targeted, requestId: job.data.requestId }, 'step run fanned out');
      return result;
    },
    { connection: services.redis, prefix: services.config.queuePrefix, ...WORKER_SETTINGS.fanout },
  );
}
