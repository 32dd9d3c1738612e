/**
 * `npm run test:faults`: the fault tests (test/faults), each a whole step sent by real processes while
 * faults are injected. Not part of `npm test`: they take minutes. One scenario at a time (they share a
 * database, a Redis db index and the machine's two cores), with timeouts to match.
 * FAULT_RECIPIENTS sets the audience (default 20,000, what CI runs).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/support/global-setup.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 600_000,
    hookTimeout: 120_000,
    // The summary line of each scenario is the figure people read: show it even when the test passes.
    silent: false,
  },
});
