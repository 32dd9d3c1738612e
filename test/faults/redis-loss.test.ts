/**
 * Redis loses all its data in the middle of a step (FLUSHDB of the app's db index) while every process
 * keeps running: the marker key is gone, a worker notices and rebuilds the queues from PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { expectEachMessageExactlyOnce } from './support/checks.js';
import { flushRedisAt } from './support/faults.js';
import { runScenario } from './support/scenario.js';
import { summaryLine } from './support/summary.js';

describe('Redis data lost mid-step', () => {
  it('rebuilds the queues from PostgreSQL and sends every message exactly once', async () => {
    let flushedAt = 0;
    let rebuildsBefore = 0;
    const outcome = await runScenario({
      name: 'FLUSHDB mid-step',
      during: async (step) => {
        flushedAt = await flushRedisAt(step, 0.4);
        // Workers starting on an empty db rebuild once too: only the rebuilds after the flush count.
        rebuildsBefore = step.deployment.recovery.tally.queueRebuilds;
      },
    });
    console.log(summaryLine(outcome));
    expect(flushedAt).toBeLessThan(outcome.audience);
    expect(outcome.recovery.queueRebuilds - rebuildsBefore, 'rebuilds after the flush').toBeGreaterThanOrEqual(1);
    expectEachMessageExactlyOnce(outcome);
  });
});
