/**
 * One line per scenario with the figures the issue asks for: messages, retries, how many sends were
 * ambiguous and how each was resolved (found at the provider, or released for a resend), and the time.
 */
import { givenUp } from './checks.js';
import type { ScenarioOutcome } from './outcome.js';

export function summaryLine(outcome: ScenarioOutcome): string {
  const { recovery, stats, events } = outcome;
  const received = new Set(outcome.messages.map((m) => m.to));
  const lost = outcome.recipients.filter((r) => !r.optedOut && !received.has(r.address)).length - givenUp(outcome).length;
  return [
    `[faults] ${outcome.name}: ${outcome.audience.toLocaleString('en')} recipients`,
    `${stats.messages.toLocaleString('en')} messages to ${stats.distinctTo.toLocaleString('en')} recipients`,
    `${lost} lost, ${stats.duplicates} duplicates, ${givenUp(outcome).length} failed after the last attempt`,
    `provider faults ${stats.faults}, answers lost after accepting ${stats.lostAnswers}`,
    `retries ${events.retrying}, sends without an answer ${events.noAnswer}`,
    `ambiguous sends examined ${recovery.examined}: found at the provider ${recovery.foundAtProvider}, resent ${recovery.released}, failed ${recovery.failed}, looked up again (the lookup failed) ${recovery.undecided}`,
    `queue rebuilds ${recovery.queueRebuilds}`,
    `callbacks ${stats.callbacksAcknowledged.toLocaleString('en')} acknowledged, ${stats.callbacksFailed} failed`,
    ...(outcome.faults.length ? [`faults: ${outcome.faults.join('; ')}`] : []),
    `${outcome.seconds.toFixed(1)} s`,
  ].join(' | ');
}
