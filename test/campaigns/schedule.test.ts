import { describe, expect, it } from 'vitest';
import { instantAt, parseInstant, ScheduleError, stepSendAt, type CampaignSchedule } from '../../src/campaigns/schedule.js';

const iso = (d: Date) => d.toISOString();

describe('step send times', () => {
  it('keeps the local hour across a DST change (New York, March 2027)', () => {
    const schedule: CampaignSchedule = { timezone: 'America/New_York', startDate: '2027-03-01', sendTime: '09:00' };
    // EST (UTC-5) before 14 March, EDT (UTC-4) after.
    expect(iso(stepSendAt(schedule, { week: 1 }))).toBe('2027-03-01T14:00:00.000Z');
    expect(iso(stepSendAt(schedule, { week: 2 }))).toBe('2027-03-08T14:00:00.000Z');
    expect(iso(stepSendAt(schedule, { week: 3 }))).toBe('2027-03-15T13:00:00.000Z');
  });

  it('uses Paraguay’s permanent UTC-3 (no winter time since October 2024)', () => {
    const schedule: CampaignSchedule = { timezone: 'America/Asuncion', startDate: '2027-03-01', sendTime: '09:00' };
    expect(iso(stepSendAt(schedule, { week: 1 }))).toBe('2027-03-01T12:00:00.000Z');
    // Mid-July was UTC-4 under the old rules: 13:00Z. Now it stays 12:00Z.
    expect(iso(stepSendAt(schedule, { week: 20 }))).toBe('2027-07-12T12:00:00.000Z');
  });

  it('moves a local time skipped by a DST jump forward instead of failing', () => {
    expect(iso(instantAt('2027-03-14', '02:30', 'America/New_York'))).toBe('2027-03-14T07:30:00.000Z');
  });

  it('computes each recipient zone’s instant for the same local time', () => {
    const schedule: CampaignSchedule = { timezone: 'America/Asuncion', startDate: '2027-03-01', sendTime: '09:00' };
    expect(iso(stepSendAt(schedule, { week: 1 }, 'Europe/Madrid'))).toBe('2027-03-01T08:00:00.000Z');
  });

  it('takes explicit instants only with an offset', () => {
    expect(iso(stepSendAt({ timezone: 'America/Asuncion' }, { sendAt: '2027-03-01T10:00:00-03:00' }))).toBe('2027-03-01T13:00:00.000Z');
    expect(iso(parseInstant('2027-03-01T10:00:00Z'))).toBe('2027-03-01T10:00:00.000Z');
    expect(() => parseInstant('2027-03-01T10:00:00')).toThrow(ScheduleError);
    expect(() => parseInstant('2027-02-30T10:00:00Z')).toThrow(/ISO 8601/);
  });

  it('refuses weeks below 1, bad dates and week steps without a start date', () => {
    const schedule: CampaignSchedule = { timezone: 'America/Asuncion', startDate: '2027-03-01', sendTime: '09:00' };
    expect(() => stepSendAt(schedule, { week: 0 })).toThrow(/week/);
    expect(() => stepSendAt(schedule, { week: -1 })).toThrow(/week/);
    expect(() => stepSendAt({ ...schedule, startDate: '2027-13-01' }, { week: 1 })).toThrow(/startDate/);
    expect(() => stepSendAt({ timezone: 'America/Asuncion' }, { week: 1 })).toThrow(/startDate and sendTime/);
  });
});
