import { describe, expect, it } from 'vitest';
import { ScheduleError } from '../../src/campaigns/schedule.js';
import { explainStoredTime, timeStep } from '../../src/campaigns/step-timing.js';
import { applyTimingRules, type TimingRules } from '../../src/campaigns/timing-rules.js';

const NIGHTS: TimingRules = { quietHours: { start: '20:00', end: '07:00' }, blackoutDates: [] };
const at = (iso: string) => new Date(iso);
const apply = (iso: string, zone: string, rules: TimingRules) => {
  const { sendAt, shiftedBy } = applyTimingRules(at(iso), zone, rules);
  return { sendAt: sendAt.toISOString(), rules: shiftedBy.map((s) => s.rule) };
};

describe('quiet hours', () => {
  it('lets a time outside them through, the end itself included', () => {
    expect(apply('2027-03-01T10:00:00.000Z', 'America/Asuncion', NIGHTS)).toEqual({ sendAt: '2027-03-01T10:00:00.000Z', rules: [] }); // 07:00
    expect(apply('2027-03-01T22:59:00.000Z', 'America/Asuncion', NIGHTS)).toEqual({ sendAt: '2027-03-01T22:59:00.000Z', rules: [] }); // 19:59
  });

  it('holds a step due in the evening until 07:00 the next day (Asunción, UTC-3 all year)', () => {
    // 20:00 and 21:00 local on 1 March.
    expect(apply('2027-03-01T23:00:00.000Z', 'America/Asuncion', NIGHTS)).toEqual({ sendAt: '2027-03-02T10:00:00.000Z', rules: ['quietHours'] });
    expect(apply('2027-03-02T00:00:00.000Z', 'America/Asuncion', NIGHTS).sendAt).toBe('2027-03-02T10:00:00.000Z');
    // Mid-July, when Paraguay used to be UTC-4: still 10:00Z.
    expect(apply('2027-07-13T00:00:00.000Z', 'America/Asuncion', NIGHTS).sendAt).toBe('2027-07-13T10:00:00.000Z');
  });

  it('holds a step due after midnight until 07:00 the same day', () => {
    expect(apply('2027-03-02T05:30:00.000Z', 'America/Asuncion', NIGHTS)).toEqual({ sendAt: '2027-03-02T10:00:00.000Z', rules: ['quietHours'] }); // 02:30
  });

  it('ends them at 07:00 local across the spring DST change (New York, 14 March 2027)', () => {
    // 21:30 EST on Saturday 13 March; 07:00 on Sunday is EDT (UTC-4): 11:00Z, not 12:00Z.
    expect(apply('2027-03-14T02:30:00.000Z', 'America/New_York', NIGHTS).sendAt).toBe('2027-03-14T11:00:00.000Z');
  });

  it('ends them at 07:00 local across the autumn DST change (New York, 7 November 2027)', () => {
    // 22:00 EDT on 6 November; 07:00 on the 7th is EST (UTC-5): 12:00Z.
    expect(apply('2027-11-07T02:00:00.000Z', 'America/New_York', NIGHTS).sendAt).toBe('2027-11-07T12:00:00.000Z');
  });

  it('moves an end that falls in the hour the DST jump skips to the first time that exists', () => {
    const rules: TimingRules = { quietHours: { start: '22:00', end: '02:30' }, blackoutDates: [] };
    // 23:00 EST on 13 March; 02:30 on the 14th does not exist in New York: 03:30 EDT.
    expect(apply('2027-03-14T04:00:00.000Z', 'America/New_York', rules).sendAt).toBe('2027-03-14T07:30:00.000Z');
  });

  it('handles a window that does not span midnight, and none at all', () => {
    const lunch: TimingRules = { quietHours: { start: '12:00', end: '14:00' }, blackoutDates: [] };
    expect(apply('2027-03-01T16:00:00.000Z', 'America/Asuncion', lunch).sendAt).toBe('2027-03-01T17:00:00.000Z'); // 13:00 → 14:00
    expect(apply('2027-03-02T00:00:00.000Z', 'America/Asuncion', { quietHours: null, blackoutDates: [] }).rules).toEqual([]);
  });
});

describe('blackout dates', () => {
  const WINTER_BREAK: TimingRules = { quietHours: null, blackoutDates: [{ from: '2027-07-12', to: '2027-07-23', reason: 'Vacaciones de invierno' }] };

  it('moves a step in a school break to the day after it, at the same local time, with the reason', () => {
    const { sendAt, shiftedBy } = applyTimingRules(at('2027-07-14T12:00:00.000Z'), 'America/Asuncion', WINTER_BREAK);
    expect(sendAt.toISOString()).toBe('2027-07-24T12:00:00.000Z');
    expect(shiftedBy).toEqual([{ rule: 'blackout', from: '2027-07-14T12:00:00.000Z', to: '2027-07-24T12:00:00.000Z', reason: 'Vacaciones de invierno' }]);
  });

  it('judges the date in the given zone: 23:30 local on the day before is not in the break', () => {
    // 2027-07-12T02:30Z is 23:30 on 11 July in Asunción.
    expect(apply('2027-07-12T02:30:00.000Z', 'America/Asuncion', WINTER_BREAK).rules).toEqual([]);
    expect(apply('2027-07-12T02:30:00.000Z', 'Europe/Madrid', WINTER_BREAK).rules).toEqual(['blackout']);
  });

  it('keeps the local hour when the next allowed day is across a DST change (New York)', () => {
    const weekend: TimingRules = { quietHours: null, blackoutDates: [{ from: '2027-03-13', to: '2027-03-14' }] };
    // 09:00 EST (14:00Z) on the 13th → 09:00 EDT (13:00Z) on the 15th.
    expect(apply('2027-03-13T14:00:00.000Z', 'America/New_York', weekend).sendAt).toBe('2027-03-15T13:00:00.000Z');
  });

  it('passes back-to-back blackouts, and a single date without `to`', () => {
    const rules: TimingRules = { quietHours: null, blackoutDates: [{ from: '2027-05-14' }, { from: '2027-05-15', reason: 'Independencia' }] };
    expect(apply('2027-05-14T12:00:00.000Z', 'America/Asuncion', rules)).toEqual({ sendAt: '2027-05-16T12:00:00.000Z', rules: ['blackout', 'blackout'] });
  });

  it('gets a step at 21:00 on the eve of a holiday out of quiet hours first: 07:00 the day after the holiday', () => {
    const rules: TimingRules = { ...NIGHTS, blackoutDates: [{ from: '2027-05-15', reason: 'Independencia' }] };
    // 21:00 on 14 May → 07:00 on the 15th (holiday) → 07:00 on the 16th.
    expect(apply('2027-05-15T00:00:00.000Z', 'America/Asuncion', rules)).toEqual({ sendAt: '2027-05-16T10:00:00.000Z', rules: ['quietHours', 'blackout'] });
  });

  it('refuses when no allowed day exists', () => {
    const forever: TimingRules = { quietHours: null, blackoutDates: [{ from: '2027-01-01', to: '9999-12-31' }] };
    expect(() => applyTimingRules(at('2027-03-01T12:00:00.000Z'), 'America/Asuncion', forever)).toThrow(ScheduleError);
  });
});

describe('step times under the rules', () => {
  const schedule = { timezone: 'America/Asuncion', startDate: '2027-07-05', sendTime: '21:00' };
  const rules: TimingRules = { quietHours: { start: '20:00', end: '07:00' }, blackoutDates: [{ from: '2027-07-12', to: '2027-07-23', reason: 'Vacaciones de invierno' }] };

  it('moves a week-based step and says why', () => {
    const week1 = timeStep(schedule, { week: 1 }, rules);
    expect(week1.requestedAt.toISOString()).toBe('2027-07-06T00:00:00.000Z'); // 21:00 on 5 July
    expect(week1.sendAt.toISOString()).toBe('2027-07-06T10:00:00.000Z'); // 07:00 on the 6th
    expect(week1.shiftedBy.map((s) => s.rule)).toEqual(['quietHours']);
    const week2 = timeStep(schedule, { week: 2 }, rules);
    expect(week2.sendAt.toISOString()).toBe('2027-07-24T10:00:00.000Z');
    expect(week2.shiftedBy.map((s) => s.reason ?? s.rule)).toEqual(['quietHours', 'Vacaciones de invierno']);
  });

  it('applies the rules in a recipient zone for recipients’ local time', () => {
    // 21:00 in New York on 5 July (EDT) → 07:00 on the 6th: 11:00Z.
    expect(timeStep(schedule, { week: 1 }, rules, 'America/New_York').sendAt.toISOString()).toBe('2027-07-06T11:00:00.000Z');
  });

  it('keeps an explicit instant as given, with a notice when the rules would have moved it', () => {
    const urgent = timeStep(schedule, { sendAt: '2027-07-14T22:00:00-03:00' }, rules);
    expect(urgent.sendAt.toISOString()).toBe('2027-07-15T01:00:00.000Z');
    expect(urgent.shiftedBy).toEqual([]);
    expect(urgent.notice).toMatch(/sent as given.*quiet hours/);
    expect(timeStep(schedule, { sendAt: '2027-03-02T10:00:00-03:00' }, rules).notice).toBeUndefined();
  });

  it('explains a stored time the rules no longer give, instead of failing', () => {
    const stored = { week: 1, requestedSendAt: null, sendAt: new Date('2027-07-06T10:00:00.000Z') };
    expect(explainStoredTime(stored, schedule, rules)).toMatchObject({ sendAt: stored.sendAt, shiftedBy: [{ rule: 'quietHours' }] });
    expect(explainStoredTime(stored, schedule, { quietHours: null, blackoutDates: [] }).notice).toMatch(/changed since/);
    const everything = { quietHours: null, blackoutDates: [{ from: '2027-01-01', to: '2099-12-31' }] };
    expect(explainStoredTime(stored, schedule, everything)).toMatchObject({ sendAt: stored.sendAt, notice: expect.stringMatching(/no time/) });
  });
});
