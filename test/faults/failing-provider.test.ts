/**
 * A provider failing 20 % of creates with 429, 500 or no answer at all (a timeout), and accepting a few
 * messages whose answer is then lost (the ambiguous case Twilio's API cannot rule out, having no
 * idempotency key). Transient errors are retried with backoff; a send without an answer is resolved by
 * asking the provider (list by To and date) before anything is resent.
 */
import { describe, expect, it } from 'vitest';
import { expectEachMessageExactlyOnce } from './support/checks.js';
import { runScenario } from './support/scenario.js';
import { summaryLine } from './support/summary.js';

const FAULT_RATE = 0.2;
const ACCEPT_THEN_FAIL = 0.02;

describe('a provider failing 20 % of requests', () => {
  it('retries, resolves ambiguous sends at the provider, and sends every message exactly once', async () => {
    const outcome = await runScenario({
      name: 'provider failing 20 % (429/500/timeout) + answers lost after accepting 2 %',
      // Callbacks later than recovery's first look (every 5 s): a callback would otherwise settle an
      // accepted-but-unanswered send first (it names the delivery), and the provider would never be asked.
      twilioArgs: ['--fault-rate', String(FAULT_RATE), '--fault-kinds', '429,500,timeout', '--accept-then-fail', String(ACCEPT_THEN_FAIL), '--callback-delay-ms', '8000'],
      env: {
        // 429s halve a sender's rate (down to 5 %): a high configured rate keeps the floor at 500/s.
        SMS_RATE_PER_SECOND: '10000',
        WHATSAPP_RATE_PER_SECOND: '10000',
        // A timed-out create holds its batch for the client's 15 s timeout: more batches in flight.
        SEND_CONCURRENCY: '64',
      },
      // Five attempts, each up to the 15 s timeout, with backoff between them: the last few take minutes.
      settleTimeoutMs: 420_000,
    });
    console.log(summaryLine(outcome));
    expect(outcome.stats.faults, 'faults the provider injected').toBeGreaterThan(0);
    expect(outcome.events.retrying, 'transient errors retried').toBeGreaterThan(0);
    expect(outcome.stats.lostAnswers, 'messages accepted whose answer was lost').toBeGreaterThan(0);
    // Accepted-but-unanswered messages were found by asking the provider, not sent again (the checks
    // below find no message sent twice).
    expect(outcome.recovery.foundAtProvider, 'ambiguous sends found at the provider').toBeGreaterThan(0);
    // 20 % failures over 5 attempts: about 0.03 % of deliveries fail every attempt; allow four times that.
    expectEachMessageExactlyOnce(outcome, { mayGiveUp: Math.ceil(outcome.audience * FAULT_RATE ** 5 * 4) });
  });
});
