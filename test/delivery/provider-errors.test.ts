import { describe, expect, it } from 'vitest';
import { classifyFailure, retryDelayMs } from '../../src/delivery/provider-errors.js';

describe('classifying provider failures', () => {
  it.each([
    [{ code: 21211, httpStatus: 400 }, { retry: false, throttle: false, optOut: false, smsFallback: false }],
    [{ code: 21610, httpStatus: 400 }, { retry: false, throttle: false, optOut: true, smsFallback: false }],
    [{ code: 63016, httpStatus: 400 }, { retry: false, throttle: false, optOut: false, smsFallback: true }],
    [{ code: 63003, httpStatus: 400 }, { retry: false, throttle: false, optOut: false, smsFallback: true }],
    [{ code: 30005, httpStatus: 400 }, { retry: false, throttle: false, optOut: false, smsFallback: false }],
    [{ code: 20429, httpStatus: 429 }, { retry: true, throttle: true, optOut: false, smsFallback: false }],
    [{ code: 21611, httpStatus: 400 }, { retry: true, throttle: true, optOut: false, smsFallback: false }],
    [{ code: 63018, httpStatus: 400 }, { retry: true, throttle: false, optOut: false, smsFallback: false }],
    [{ httpStatus: 503 }, { retry: true, throttle: false, optOut: false, smsFallback: false }],
    [{ httpStatus: 429 }, { retry: true, throttle: true, optOut: false, smsFallback: false }],
    [{}, { retry: true, throttle: false, optOut: false, smsFallback: false }],
    [{ code: 21999, httpStatus: 400 }, { retry: false, throttle: false, optOut: false, smsFallback: false }],
  ])('%j', (failure, verdict) => {
    expect(classifyFailure({ ...failure, message: 'x' })).toEqual(verdict);
  });

  it('backs off exponentially with jitter, within bounds', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1000);
    expect(retryDelayMs(1, () => 1)).toBe(2000);
    expect(retryDelayMs(3, () => 0.5)).toBe(6000);
    expect(retryDelayMs(30, () => 1)).toBe(300_000);
  });
});
