import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingProblems } from '../../src/settings/settings.js';

describe('deployment settings', () => {
  it('has defaults for every key: prices to configure, quiet hours 20:00–07:00, no blackouts', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      prices: { currency: 'USD', smsPerSegment: 0.045, whatsappPerMessage: 0.008 },
      quietHours: { start: '20:00', end: '07:00' },
      blackoutDates: [],
      senderName: 'Campana',
    });
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) expect(settingProblems(key as keyof typeof DEFAULT_SETTINGS, value)).toEqual([]);
  });

  it('names what is wrong with a value, field by field', () => {
    expect(settingProblems('prices', { currency: 'usd', smsPerSegment: -1, whatsappPerMessage: 0.008, tax: 1 })).toEqual([
      'prices: must not have additional properties (tax)',
      'prices.currency: must match pattern "^[A-Z]{3}$"',
      'prices.smsPerSegment: must be >= 0',
    ]);
    expect(settingProblems('quietHours', { start: '25:00', end: '07:00' })[0]).toMatch(/^quietHours/);
  });

  it('accepts no quiet hours (null) but not an empty window', () => {
    expect(settingProblems('quietHours', null)).toEqual([]);
    expect(settingProblems('quietHours', { start: '20:00', end: '20:00' })).toEqual(['quietHours: start and end are both 20:00; use null for no quiet hours']);
  });

  it('checks blackout dates are real dates in order', () => {
    expect(settingProblems('blackoutDates', [{ from: '2027-07-12', to: '2027-07-23', reason: 'Vacaciones de invierno' }, { from: '2027-05-15' }])).toEqual([]);
    expect(settingProblems('blackoutDates', [{ from: '2027-02-30' }, { from: '2027-07-23', to: '2027-07-12' }])).toEqual([
      'blackoutDates.0.from: "2027-02-30" is not a calendar date',
      'blackoutDates.1: to (2027-07-12) is before from (2027-07-23)',
    ]);
    expect(settingProblems('blackoutDates', [{ date: '2027-05-15' }]).length).toBeGreaterThan(0);
  });
});
