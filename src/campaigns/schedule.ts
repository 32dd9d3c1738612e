/**
 * When each step of a campaign is due. Weeks are calendar weeks in a time zone: week n is sent on
 * startDate + 7(n-1) days at sendTime *local* time, so a DST change between two steps keeps the
 * wall-clock hour and moves the UTC instant. Nothing here hard-codes an offset: Paraguay dropped DST
 * in October 2024 and a bill to restore it exists, tzdata decides.
 */
import { DateTime } from 'luxon';

export type CampaignSchedule = {
  timezone: string;
  /** YYYY-MM-DD; needed only by steps given as a week */
  startDate?: string;
  /** HH:mm; needed only by steps given as a week */
  sendTime?: string;
  /** Send each step at sendTime in every recipient's own zone instead of the campaign's. */
  recipientLocalTime?: boolean;
};

/** A step is timed either by week number or by an explicit instant (ISO 8601 with offset). */
export type StepTiming = { week: number; sendAt?: undefined } | { week?: undefined; sendAt: string };

export class ScheduleError extends Error {}

/** Local date and time of a week-based step, independent of any zone. */
export function stepLocalTime(schedule: CampaignSchedule, week: number): { date: string; time: string } {
  if (!Number.isInteger(week) || week < 1) throw new ScheduleError(`week must be a whole number from 1 (got ${week})`);
  if (!schedule.startDate || !schedule.sendTime) throw new ScheduleError('a step given by week needs the schedule\'s startDate and sendTime');
  const start = DateTime.fromISO(schedule.startDate, { zone: 'UTC' });
  if (!start.isValid) throw new ScheduleError(`startDate must be a date as YYYY-MM-DD (got "${schedule.startDate}")`);
  return { date: start.plus({ days: 7 * (week - 1) }).toISODate()!, time: schedule.sendTime };
}

/** The instant a local date and time happens in a zone; a time skipped by a DST jump moves forward. */
export function instantAt(date: string, time: string, zone: string): Date {
  const at = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!at.isValid) throw new ScheduleError(`"${date} ${time}" in ${zone} is not a valid time (${at.invalidExplanation ?? at.invalidReason})`);
  return at.toJSDate();
}

/** The step's send instant in the campaign's zone (or in `zone`, for recipients' local time). */
export function stepSendAt(schedule: CampaignSchedule, step: StepTiming, zone = schedule.timezone): Date {
  if (step.sendAt !== undefined) return parseInstant(step.sendAt);
  const local = stepLocalTime(schedule, step.week);
  return instantAt(local.date, local.time, zone);
}

/** An instant must name its offset: "2026-03-02 10:00" alone is ambiguous for a country-wide send. */
export function parseInstant(value: string): Date {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) throw new ScheduleError(`sendAt must be an ISO 8601 instant with an offset or Z (got "${value}")`);
  const at = DateTime.fromISO(value, { setZone: true });
  if (!at.isValid) throw new ScheduleError(`sendAt must be an ISO 8601 instant (got "${value}")`);
  return at.toJSDate();
}
