/**
 * The periodic duties every worker process shares (each guarded in the database, so any number of
 * workers may run them): firing due runs, noticing lost Redis data, resolving interrupted sends,
 * completing finished work, applying callbacks that overtook their SID, re-queuing lost jobs.
 */
import { completeFinishedWork } from '../src/delivery/run-progress.js';
import { rebuildQueues, recoveryDepsOf, redisWasReset, requeueOrphans, resolveInterruptedSendsFor } from '../src/delivery/recovery.js';
import { queueSmsFallbacks } from '../src/delivery/send-queue.js';
import type { Services } from '../src/runtime/services.js';
import { fireDueRuns, requeueFanouts } from '../src/scheduling/fire-due-runs.js';
import { reconcilePendingCallbacks } from '../src/webhooks/status-callbacks.js';
import { purgeExpiredMessageBodies } from '../src/operations/retention.js';
import { requeueImports } from '../src/imports/requeue-imports.js';

type Duty = { name: string; everyMs: number; run: () => Promise<unknown> };

export function startMaintenance(services: Services, speedUp = 1): { stop(): Promise<void> } {
  const { pool } = services.db;
  const recovery = recoveryDepsOf(services);
  const duties: Duty[] = [
    { name: 'fire due runs', everyMs: 1000, run: () => fireDueRuns(pool, services.queues.fanout) },
    { name: 'notice lost redis data', everyMs: 2000, run: async () => (await redisWasReset(services.redis, services.config.queuePrefix)) && rebuildQueues(recovery) },
    { name: 'resolve interrupted sends', everyMs: 5000, run: () => resolveInterruptedSendsFor(recovery, 4000) },
    { name: 'complete finished work', everyMs: 2000, run: () => completeFinishedWork(pool) },
    {
      name: 'apply early callbacks',
      everyMs: 5000,
      run: async () => {
        const applied = await reconcilePendingCallbacks(pool);
        if (applied.whatsappFailures.length && services.provider.senderFor('sms')) await queueSmsFallbacks(pool, services.queues.send, applied.whatsappFailures);
      },
    },
    { name: 'requeue fan-outs', everyMs: 15_000, run: () => requeueFanouts(pool, services.queues.fanout) },
    { name: 'requeue lost jobs', everyMs: 30_000, run: () => requeueOrphans(recovery) },
    { name: 'requeue imports', everyMs: 30_000, run: () => requeueImports(pool, services.queues.imports) },
    { name: 'purge expired message bodies', everyMs: 60_000, run: () => purgeExpiredMessageBodies(pool, services.config.retentionDays) },
  ];

  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const timers = duties.map((duty) => {
    let busy = false;
    return setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const work = duty
        .run()
        .catch((err: Error) => services.logger.warn({ err: err.message, duty: duty.name }, 'maintenance duty failed'))
        .finally(() => {
          busy = false;
          running.delete(work);
        });
      running.add(work);
    }, Math.max(50, duty.everyMs / speedUp));
  });
  return {
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      await Promise.all(running);
    },
  };
}
