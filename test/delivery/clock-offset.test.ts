/** Placing a shared clock's readings on this process's clock, from round trips of uneven length. */
import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../../src/delivery/clock-offset.js';

describe('the offset of a shared clock', () => {
  it('trusts the shortest round trip, whose midpoint bounds the remote reading best', () => {
    // The remote clock is 1,000 ms ahead. A fast round trip reads it mid-way; a slow one whose answer
    // sat 40 ms in a busy event loop would put remote moments 20 ms late.
    const clock = new ClockOffset();
    clock.sample(5_000, 6_001, 5_002);
    clock.sample(5_100, 6_101, 5_142);
    expect(clock.toLocal(7_000)).toBe(6_000);
  });

  it('takes a longer round trip once the best one has aged enough, so drift cannot go unnoticed', () => {
    const clock = new ClockOffset();
    clock.sample(0, 1_001, 2);
    // Ten seconds later a 10 ms round trip is within the aged bound (2 ms + 10 ms) and reflects drift.
    clock.sample(10_000, 11_010, 10_010);
    expect(clock.toLocal(12_000)).toBe(10_995);
    // A slower one right after is not.
    clock.sample(10_020, 11_050, 10_060);
    expect(clock.toLocal(12_000)).toBe(10_995);
  });

  it('reads remote moments unchanged before any sample', () => {
    expect(new ClockOffset().toLocal(42)).toBe(42);
  });
});
