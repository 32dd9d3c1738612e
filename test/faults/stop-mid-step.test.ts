/**
 * STOP arriving mid-step: at 30 % of the audience sent, 200 contacts not yet sent to (the highest ids:
 * the fan-out and the send jobs go in contact-id order) reply STOP or BAJA. From the moment each reply
 * is acknowledged they must receive nothing, and the report shows them skipped as opted out.
 */
import { describe, expect, it } from 'vitest';
import { recipients } from './support/audience.js';
import { expectEachMessageExactlyOnce } from './support/checks.js';
import { FAULT_RECIPIENTS } from './support/environment.js';
import { stopRepliesAt, type Stop } from './support/faults.js';
import { runScenario } from './support/scenario.js';
import { summaryLine } from './support/summary.js';

const STOPPERS = 200;

describe('STOP replies mid-step', () => {
  it('sends nothing to a contact after their STOP, and reports them skipped', async () => {
    let stops: Stop[] = [];
    const outcome = await runScenario({
      name: `${STOPPERS} STOP/BAJA replies mid-step`,
      // Paced so that the step lasts about 10 s whatever the audience: the replies arrive before the
      // last contacts' turn, and what is tested is that each reply takes effect at once.
      env: { SMS_RATE_PER_SECOND: String(Math.ceil(FAULT_RECIPIENTS / 20)), WHATSAPP_RATE_PER_SECOND: String(Math.ceil(FAULT_RECIPIENTS / 20)) },
      during: async (step) => {
        const last = (await recipients(step.pool)).slice(-STOPPERS);
        ({ stops } = await stopRepliesAt(step, 0.3, last));
      },
    });
    console.log(summaryLine(outcome));
    expect(stops).toHaveLength(STOPPERS);
    // Each reply was answered with a confirmation (TwiML <Message>), and took effect.
    expect(stops.filter((s) => !s.reply.includes('<Message>'))).toEqual([]);
    const optedOut = new Set(outcome.recipients.filter((r) => r.optedOut).map((r) => r.contactId));
    expect(stops.filter((s) => !optedOut.has(s.contactId))).toEqual([]);
    // Nothing reached a contact after their STOP was acknowledged.
    const stopAt = new Map(stops.map((s) => [s.address, s.acknowledgedAt]));
    expect(outcome.messages.filter((m) => stopAt.has(m.to) && m.receivedAt >= stopAt.get(m.to)!)).toEqual([]);
    expectEachMessageExactlyOnce(outcome, { optedOut: stops.map((s) => s.contactId) });
  });
});
