/**
 * Launching a chunk's sends in the slots the pacer reserved for them, one after another at the pace in
 * force. A send is never launched late: a busy event loop, a slow claim or a garbage collection can hold
 * a timer back, and sends launched late would bunch up with the on-time sends of other batches (the
 * busiest second of a sender at 500/s once held 888). When a send would leave more than
 * `lateToleranceMs` after its slot, the slots that have passed are given up and the send takes the next
 * one still on time; whatever the chunk then lacks at the end of its reservation it reserves afresh.
 * Slots given up are never banked, so the sender can only go slower than its rate, never faster, and it
 * loses only the time the stall took (giving up the whole rest of the reservation cost a 500/s sender a
 * tenth of its rate).
 */
import { localNow } from './clock-offset.js';
import type { Reservation } from './pacing.js';

export type SlotClock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: SlotClock = {
  now: localNow,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export type SlotPlan<T> = {
  /** Reserves `cost` consecutive units of the sender's rate. */
  reserve(cost: number): Promise<Reservation>;
  costOf(item: T): number;
  /** Runs just before the first slot (claiming, the last look at opt-outs); returns what may be sent. */
  prepare(items: T[]): Promise<T[]>;
  /** Starts one send, `lateMs` after its slot (0 to `lateToleranceMs`); not awaited here. */
  launch(item: T, lateMs: number): void;
  /** How long before the first slot `prepare` starts, so that its round trip does not make sends late. */
  prepareLeadMs: number;
  lateToleranceMs: number;
  clock?: SlotClock;
};

/**
 * Returns how many reserved units went unused: slots given up because a send would have been late,
 * and those of items `prepare` did not return.
 */
export async function launchInSlots<T>(items: T[], plan: SlotPlan<T>): Promise<{ unusedSlots: number }> {
  const clock = plan.clock ?? systemClock;
  const costOf = (list: T[]) => list.reduce((sum, item) => sum + plan.costOf(item), 0);
  let reservedUnits = 0;
  let launchedUnits = 0;
  const reserve = async (cost: number) => {
    const slot = await plan.reserve(cost);
    reservedUnits += cost;
    return { ...slot, units: cost, used: 0 };
  };
  let slots = await reserve(costOf(items));
  await clock.sleep(slots.startsAt() - plan.prepareLeadMs - clock.now());
  const ready = await plan.prepare(items);
  for (let i = 0; i < ready.length; i++) {
    const cost = plan.costOf(ready[i]!);
    let wait: number;
    for (;;) {
      if (slots.used + cost > slots.units) slots = await reserve(costOf(ready.slice(i)));
      wait = slots.startsAt() + slots.used * slots.msPerUnit - clock.now();
      // Looked at again after sleeping: the timer itself may have fired late.
      if (wait > 0) await clock.sleep(wait);
      else if (wait >= -plan.lateToleranceMs) break;
      else {
        slots.used += Math.ceil((-wait - plan.lateToleranceMs) / slots.msPerUnit);
      }
    }
    plan.launch(ready[i]!, -wait);
    slots.used += cost;
    launchedUnits += cost;
  }
  return { unusedSlots: reservedUnits - launchedUnits };
}
