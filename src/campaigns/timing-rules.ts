/**
 * The deployment's timing rules, applied to a send instant in one zone (the recipients'):
 *  - quiet hours (default 20:00–07:00): an instant inside them waits for their end;
 *  - blackout dates (holidays, school breaks): an instant on one moves to the day after, at the same
 *    local time.
 * Quiet hours are checked first, so 21:00 on the eve of a holiday becomes 07:00 the day after the
 * holiday, not 21:00 (still quiet) and then 07:00 one more day later. Both rules are local wall-clock
 * rules: luxon and tzdata turn them into instants, so DST changes keep the local hour.
 */
import { DateTime } from 'luxon';
import type { BlackoutDate, QuietHours } from '../settings/settings.js';
import { instantAt, ScheduleError } from './schedule.js';

export type TimingRules = { quietHours: QuietHours; blackoutDates: BlackoutDate[] };

/** One move of a send instant: which rule, from when to when (UTC), and the blackout's reason. */
export type Shift = { rule: 'quietHours' | 'blackout'; from: string; to: string; reason?: string };

type Move = { at: Date; rule: Shift['rule']; reason?: string };

/** Rules that push a step further than this (a blackout typed as 2072 instead of 2027) are refused, not obeyed. */
const MAX_DELAY_DAYS = 366;

export function applyTimingRules(at: Date, zone: string, rules: TimingRules): { sendAt: Date; shiftedBy: Shift[] } {
  const shiftedBy: Shift[] = [];
  const latest = DateTime.fromJSDate(at).plus({ days: MAX_DELAY_DAYS }).toJSDate();
  let current = at;
  // Each move passes a whole quiet period or blackout, so the loop ends within a year of moves.
  while (current <= latest) {
    const local = DateTime.fromJSDate(current, { zone });
    const move = quietHoursEnd(local, rules.quietHours) ?? dayAfterBlackout(local, rules.blackoutDates);
    if (!move) return { sendAt: current, shiftedBy };
    shiftedBy.push({ rule: move.rule, from: current.toISOString(), to: move.at.toISOString(), ...(move.reason ? { reason: move.reason } : {}) });
    current = move.at;
  }
  throw new ScheduleError(`quiet hours and blackout dates leave no time to send within ${MAX_DELAY_DAYS} days after ${at.toISOString()} (${zone})`);
}

function quietHoursEnd(local: DateTime, quiet: QuietHours): Move | undefined {
  if (!quiet) return undefined;
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const spansMidnight = start > end;
  const inside = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const endDay = spansMidnight && minute >= start ? local.plus({ days: 1 }) : local;
  return { at: instantAt(endDay.toISODate()!, quiet.end, local.zoneName!), rule: 'quietHours' };
}

function dayAfterBlackout(local: DateTime, blackouts: BlackoutDate[]): Move | undefined {
  const day = local.toISODate()!;
  const blackout = blackouts.find((b) => b.from <= day && day <= (b.to ?? b.from));
  if (!blackout) return undefined;
  const nextDay = DateTime.fromISO(blackout.to ?? blackout.from, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
  return { at: instantAt(nextDay, local.toFormat('HH:mm:ss.SSS'), local.zoneName!), rule: 'blackout', ...(blackout.reason ? { reason: blackout.reason } : {}) };
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}
