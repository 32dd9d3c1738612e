/**
 * What every scenario must end with, whatever its faults: every delivery final, nothing lost, nothing
 * sent twice, each delivery's status the one the provider reported for its message, and a report whose
 * counts follow from what the provider received.
 */
import { expect } from 'vitest';
import { MAX_SEND_ATTEMPTS } from '../../../src/delivery/provider-errors.js';
import type { ScenarioOutcome } from './outcome.js';

export type Expectations = {
  /** Contacts the scenario opted out before their message was sent: skipped, and sent nothing. */
  optedOut?: number[];
  /**
   * Deliveries that may end failed after the last attempt without any message at the provider: a
   * provider failing at random fails some delivery on every attempt (20 % over 5 attempts: 0.03 %).
   */
  mayGiveUp?: number;
};

const FINAL = ['delivered', 'read', 'undelivered', 'failed', 'skipped', 'cancelled'];

export function expectEachMessageExactlyOnce(outcome: ScenarioOutcome, expectations: Expectations = {}): void {
  const optedOut = new Set(expectations.optedOut ?? []);
  const { deliveries, messages, recipients } = outcome;

  expect(outcome.campaignStatus, 'the campaign completed').toBe('completed');
  expect(deliveries.filter((d) => d.pending || !FINAL.includes(d.status)), 'deliveries not final').toEqual([]);
  expect(deliveries.length, 'one delivery per contact').toBe(outcome.audience);

  // 0 duplicates: the server's own check (same To and content), and one message per To at all.
  expect(outcome.stats.duplicates, 'duplicates the provider saw').toBe(0);
  const perTo = new Map<string, number>();
  for (const m of messages) perTo.set(m.to, (perTo.get(m.to) ?? 0) + 1);
  expect([...perTo].filter(([, n]) => n > 1), 'recipients sent more than one message').toEqual([]);

  // 0 lost: every contact not opted out got its message, or its delivery gave up after the last attempt.
  const gaveUp = givenUp(outcome);
  expect(gaveUp.length, 'deliveries failed after the last attempt').toBeLessThanOrEqual(expectations.mayGiveUp ?? 0);
  const gaveUpContacts = new Set(gaveUp.map((d) => d.contactId));
  const expected = recipients.filter((r) => !optedOut.has(r.contactId));
  expect(expected.filter((r) => !perTo.has(r.address) && !gaveUpContacts.has(r.contactId)).map((r) => r.address), 'lost: no message').toEqual([]);
  const expectedAddresses = new Set(expected.map((r) => r.address));
  expect(messages.filter((m) => !expectedAddresses.has(m.to)).map((m) => m.to), 'messages to contacts who opted out').toEqual([]);

  // Each message belongs to one delivery, and that delivery ends with the status the provider reported.
  const bySid = new Map(messages.map((m) => [m.sid, m]));
  const sids = new Set(deliveries.flatMap((d) => (d.providerSid ? [d.providerSid] : [])));
  expect(messages.filter((m) => !sids.has(m.sid)).map((m) => m.sid), 'messages no delivery recorded').toEqual([]);
  const wrong = deliveries.filter((d) => d.providerSid && bySid.get(d.providerSid)?.status !== d.status);
  expect(wrong.map((d) => ({ id: d.id, ours: d.status, provider: bySid.get(d.providerSid!)?.status })), 'statuses unlike the provider’s').toEqual([]);

  const skipped = deliveries.filter((d) => d.status === 'skipped');
  expect(skipped.map((d) => d.contactId).sort((a, b) => a - b), 'skipped: exactly the opted out').toEqual([...optedOut].sort((a, b) => a - b));
  expect(skipped.filter((d) => d.skipReason !== 'opted_out'), 'skipped for another reason').toEqual([]);

  expectReportFollowsFromProvider(outcome, optedOut.size, gaveUp.length);
}

/** Deliveries that failed after the last attempt with no message at the provider. */
export function givenUp(outcome: ScenarioOutcome): ScenarioOutcome['deliveries'] {
  return outcome.deliveries.filter((d) => d.status === 'failed' && d.providerSid === null && d.attempts >= MAX_SEND_ATTEMPTS);
}

function expectReportFollowsFromProvider(outcome: ScenarioOutcome, optedOut: number, gaveUp: number): void {
  const byStatus = (status: string) => outcome.messages.filter((m) => m.status === status).length;
  const total = outcome.report.total;
  expect({
    targeted: total.targeted,
    total: total.total,
    queued: total.queued,
    sent: total.sent,
    delivered: total.delivered,
    read: total.read,
    undelivered: total.undelivered,
    failed: total.failed,
    skipped: total.skipped,
    skippedOptedOut: total.skippedBy.opted_out ?? 0,
    cancelled: total.cancelled,
  }, 'report totals').toEqual({
    targeted: outcome.audience,
    total: outcome.audience,
    queued: 0,
    sent: 0,
    delivered: byStatus('delivered'),
    read: byStatus('read'),
    undelivered: byStatus('undelivered'),
    failed: byStatus('failed') + gaveUp,
    skipped: optedOut,
    skippedOptedOut: optedOut,
    cancelled: 0,
  });
}
