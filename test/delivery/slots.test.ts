/**
 * Sends launched in their reserved slots, on a fake clock whose timers can fire late (a stalled event
 * loop): a late send gives up the slots that passed instead of bunching up with the sends of other
 * batches, and only those.
 */
import { describe, expect, it } from 'vitest';
import type { Reservation } from '../../src/delivery/pacing.js';
import { launchInSlots, type SlotClock } from '../../src/delivery/slots.js';

/** One sender's GCRA, as the Redis script keeps it, on a fake clock whose sleeps may overshoot. */
function world(rate: number, stalls: Map<number, number> = new Map()) {
  let now = 1_000_000;
  let tat = 0;
  let sleeps = 0;
  const clock: SlotClock = {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms) + (stalls.get(sleeps++) ?? 0);
    },
  };
  const reserve = async (cost: number): Promise<Reservation> => {
    const start = Math.max(tat, now);
    tat = start + (cost * 1000) / rate;
    return { startsAt: () => start, msPerUnit: 1000 / rate };
  };
  return { clock, reserve, now: () => now };
}

function busiestSecond(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

async function run(w: ReturnType<typeof world>, items: number[], prepare = async (xs: number[]) => xs, seen = (r: Reservation) => r) {
  const launched: Array<{ item: number; at: number; lateMs: number }> = [];
  const result = await launchInSlots(items, {
    reserve: async (cost) => seen(await w.reserve(cost)),
    costOf: () => 1,
    prepare,
    launch: (item, lateMs) => launched.push({ item, at: w.now(), lateMs }),
    prepareLeadMs: 50,
    lateToleranceMs: 5,
    clock: w.clock,
  });
  return { launched, ...result };
}

describe('launching sends in their slots', () => {
  it('spaces the sends of several chunks exactly at the rate when nothing is late', async () => {
    const w = world(100);
    const first = await run(w, Array.from({ length: 150 }, (_, i) => i));
    const second = await run(w, Array.from({ length: 150 }, (_, i) => 150 + i));
    const times = [...first.launched, ...second.launched].map((l) => l.at);
    expect(first.unusedSlots + second.unusedSlots).toBe(0);
    expect(times.slice(1).map((t, i) => t - times[i]!).every((gap) => Math.abs(gap - 10) < 1e-6)).toBe(true);
    expect(busiestSecond(times)).toBe(100);
  });

  it('gives up only the slots a stall let pass, instead of catching up in a burst', async () => {
    // The 20th sleep overshoots by 400 ms: 40 sends' worth of slots pass meanwhile.
    const w = world(100, new Map([[20, 400]]));
    const { launched, unusedSlots } = await run(w, Array.from({ length: 300 }, (_, i) => i));
    const times = launched.map((l) => l.at);
    expect(launched.map((l) => l.item)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(busiestSecond(times)).toBeLessThanOrEqual(100);
    // 40 slots lost, then every send back on the 10 ms grid, not a slot more, and none launched late.
    expect(unusedSlots).toBe(40);
    expect(launched.every((l) => l.lateMs >= 0 && l.lateMs <= 5)).toBe(true);
    expect(times.at(-1)! - times[0]!).toBe((300 - 1 + 40) * 10);
  });

  it('reserves again only what the rest of the chunk needs once the stall has used up its slots', async () => {
    // The first send needs no sleep; the one before the 4th send stalls for 2 s, longer than the
    // chunk's whole reservation (half a second).
    const w = world(100, new Map([[3, 2000]]));
    const { launched, unusedSlots } = await run(w, Array.from({ length: 50 }, (_, i) => i));
    expect(launched).toHaveLength(50);
    expect(unusedSlots).toBe(47);
    // The 47 sends left went in fresh slots from the end of the stall on, 10 ms apart.
    const rest = launched.slice(3).map((l) => l.at);
    expect(rest[0]! - launched[2]!.at).toBeGreaterThanOrEqual(2000);
    expect(rest.slice(1).every((t, i) => t - rest[i]! === 10)).toBe(true);
  });

  it('places the slots by the latest estimate of the shared clock, not the one at reservation', async () => {
    // Reserved while the clock estimate was 30 ms off; a better one arrives before the first send.
    const w = world(100);
    let estimateError = 30;
    const { launched } = await run(w, [1, 2, 3], async (xs) => {
      estimateError = 0;
      return xs;
    }, (reserved) => ({ ...reserved, startsAt: () => reserved.startsAt() + estimateError }));
    expect(launched.map((l) => l.at)).toEqual([1_000_000, 1_000_010, 1_000_020]);
  });

  it('claims just before the first slot and sends only what the claim returned', async () => {
    const w = world(10);
    await w.reserve(20); // another batch holds the next two seconds
    let preparedAt = 0;
    const { launched } = await run(w, [1, 2, 3, 4], async (xs) => {
      preparedAt = w.now();
      return xs.filter((x) => x !== 3);
    });
    expect(launched.map((l) => l.item)).toEqual([1, 2, 4]);
    expect(launched[0]!.at - preparedAt).toBe(50);
    expect(launched[0]!.at).toBeGreaterThanOrEqual(1_002_000);
  });
});
