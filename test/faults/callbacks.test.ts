/**
 * Status callbacks duplicated (half of them) and shuffled (each message's callbacks in random order),
 * with some messages ending undelivered or failed: statuses only move forward, so each delivery ends
 * with the provider's final status and the report counts follow.
 */
import { describe, expect, it } from 'vitest';
import { expectEachMessageExactlyOnce } from './support/checks.js';
import { runScenario } from './support/scenario.js';
import { summaryLine } from './support/summary.js';

describe('status callbacks duplicated and shuffled', () => {
  it('leaves each delivery with the provider’s final status', async () => {
    const outcome = await runScenario({
      name: 'callbacks duplicated (50 %) and shuffled, 5 % undelivered, 2 % failed',
      twilioArgs: ['--duplicate-rate', '0.5', '--shuffle', '--undelivered-rate', '0.05', '--failed-rate', '0.02'],
    });
    console.log(summaryLine(outcome));
    // More callbacks than statuses: the duplicates really were sent (and acknowledged).
    const statuses = outcome.messages.reduce((n, m) => n + (m.status === 'read' ? 3 : m.status === 'failed' ? 1 : 2), 0);
    expect(outcome.stats.callbacksAcknowledged).toBeGreaterThan(statuses);
    expect(outcome.stats.callbacksFailed).toBe(0);
    expect(outcome.report.total.undelivered).toBeGreaterThan(0);
    expect(outcome.report.total.failed).toBeGreaterThan(0);
    expectEachMessageExactlyOnce(outcome);
  });
});
