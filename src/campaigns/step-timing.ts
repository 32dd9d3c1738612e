/**
 * A step's send time with the deployment's timing rules applied, and how the API explains it.
 * Times the schedule computes (week n at sendTime) obey quiet hours and blackout dates. An explicit
 * `sendAt` is an instant a person chose on purpose (an urgent notice, a test a few seconds ahead): it is
 * kept as given, and flagged when the rules would have moved it, so the approver sees it.
 */
import { ScheduleError, stepSendAt, type CampaignSchedule, type StepTiming } from './schedule.js';
import { applyTimingRules, type Shift, type TimingRules } from './timing-rules.js';

export type StepTime = { requestedAt: Date; sendAt: Date; shiftedBy: Shift[]; notice?: string };

export function timeStep(schedule: CampaignSchedule, timing: StepTiming, rules: TimingRules, zone = schedule.timezone): StepTime {
  const requestedAt = stepSendAt(schedule, timing, zone);
  const applied = applyTimingRules(requestedAt, zone, rules);
  if (timing.week !== undefined) return { requestedAt, sendAt: applied.sendAt, shiftedBy: applied.shiftedBy };
  const broken = applied.shiftedBy[0];
  return { requestedAt, sendAt: requestedAt, shiftedBy: [], ...(broken ? { notice: `an explicit sendAt is sent as given, although it falls ${describeRule(broken)}` } : {}) };
}

function describeRule(shift: Shift): string {
  return shift.rule === 'quietHours' ? 'in quiet hours' : `on a blackout date${shift.reason ? ` (${shift.reason})` : ''}`;
}

/** How a step is timed, from what is stored: by week, or at the instant asked for. */
export function storedTiming(step: { week: number | null; requestedSendAt: Date | null; sendAt: Date }): StepTiming {
  if (step.week !== null) return { week: step.week };
  return { sendAt: (step.requestedSendAt ?? step.sendAt).toISOString() };
}

/**
 * The explanation of a stored step's time under today's rules. A time computed under rules (or a
 * schedule) that have changed since keeps its stored value until the campaign is approved again.
 */
export function explainStoredTime(step: { week: number | null; requestedSendAt: Date | null; sendAt: Date }, schedule: CampaignSchedule, rules: TimingRules): StepTime {
  const timing = storedTiming(step);
  try {
    const now = timeStep(schedule, timing, rules);
    if (now.sendAt.getTime() === step.sendAt.getTime()) return now;
    return { requestedAt: now.requestedAt, sendAt: step.sendAt, shiftedBy: [], notice: 'computed under timing rules or a schedule that have changed since (approval computes unsent steps again)' };
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    return { requestedAt: stepSendAt(schedule, timing), sendAt: step.sendAt, shiftedBy: [], notice: `today's timing rules leave this step no time: ${err.message}` };
  }
}

/** A step's time as the API shows it: when it is sent, when it was asked for, and what moved it. */
export function timingJson(time: StepTime) {
  return {
    sendAt: time.sendAt.toISOString(),
    requestedAt: time.requestedAt.toISOString(),
    shiftedBy: time.shiftedBy,
    ...(time.notice ? { timingNotice: time.notice } : {}),
  };
}
