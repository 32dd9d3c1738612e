/** Starts every worker of this process; `close` finishes or hands back current jobs. */
import type { Services } from '../src/runtime/services.js';
import { startFanoutWorker } from './fanout.worker.js';
import { startMaintenance } from './maintenance.js';
import { startSendWorker } from './send.worker.js';

export type RunningWorkers = { close(): Promise<void> };

export function startWorkers(services: Services, options: { maintenanceSpeedUp?: number } = {}): RunningWorkers {
  const workers = [startFanoutWorker(services), startSendWorker(services)];
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
