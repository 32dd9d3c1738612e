/** Starts every worker of this process; `close` finishes or hands back current jobs. */
import type { Services } from '../src/runtime/services.js';
import { startFanoutWorker } from './fanout.worker.js';
import { startImportWorker } from './import.worker.js';
import { startMaintenance } from './maintenance.js';
import { startSendWorker } from './send.worker.js';

export type RunningWorkers = { close(): Promise<void> };

export function startWorkers(services: Services, options: { maintenanceSpeedUp?: number } = {}): RunningWorkers {
  const sendWorker = startSendWorker(services);
  // The request id that started the work, and the deliveries it covered: how a message is followed from
  // the API call through the workers to its status callbacks (logged with the delivery id).
  sendWorker.on('completed', (job, outcome) =>
    services.logger.info({ requestId: job.data.requestId, runId: job.data.runId, deliveryIds: job.data.deliveryIds, outcome }, 'send batch done'),
  );
  const workers = [startFanoutWorker(services), sendWorker, startImportWorker(services)];
  for (const worker of workers) {
    worker.on('failed', (job, err) => services.logger.warn({ queue: worker.name, jobId: job?.id, err: err.message }, 'job failed'));
    worker.on('error', (err) => services.logger.warn({ queue: worker.name, err: err.message }, 'worker error'));
  }
  const maintenance = startMaintenance(services, options.maintenanceSpeedUp);
  return {
    async close() {
      await maintenance.stop();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
