/**
 * kill -9 of a worker three times during a step: each time at a quarter of the audience more, with a
 * replacement started at once. The killed worker's claims expire and recovery asks the provider before
 * resending; its BullMQ jobs stall and come back.
 */
import { describe, expect, it } from 'vitest';
import { expectEachMessageExactlyOnce } from './support/checks.js';
import { killWorkersAt } from './support/faults.js';
import { runScenario } from './support/scenario.js';
import { summaryLine } from './support/summary.js';

describe('kill -9 of workers during a step', () => {
  it('sends every message exactly once, and the report counts them', async () => {
    let killedAt: number[] = [];
    const outcome = await runScenario({
      name: 'kill -9 workers three times',
      workers: 2,
      during: async (step) => {
        killedAt = await killWorkersAt(step, [0.25, 0.5, 0.75]);
      },
    });
    console.log(summaryLine(outcome));
    // Each kill happened in the middle of the step, not after it.
    expect(killedAt).toHaveLength(3);
    for (const received of killedAt) expect(received).toBeLessThan(outcome.audience);
    expectEachMessageExactlyOnce(outcome);
  });
});
