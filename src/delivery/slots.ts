/**
 * Launching a chunk's sends in the slots the pacer reserved for them, one after another at the pace in
 * force. A send is never launched late: a busy event loop, a slow claim or a garbage collection can hold
 * a timer back, and sends launched late would bunch up with the on-time sends of other batches (the
 * busiest second of a sender at 500/s once held 888). When a send would leave more than
 * `lateToleranceMs` after its slot, the rest of the chunk reserves fresh slots instead; the slots given
 * up are lost, never banked, so the sender can only go slower than its rate, never faster.
 */
import type { Reservation } from './pacing.js';

export type SlotClock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: SlotClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export type SlotPlan<T> = {
  /** Reserves `cost` consecutive units of the sender's rate. */
  reserve(cost: number): Promise<Reservation>;
  costOf(item: T): number;
  /** Runs just before the first slot (claiming, the last look at opt-outs); returns what may be sent. */
  prepare(items: T[]): Promise<T[]>;
  /** Starts one send; not awaited here. */
  launch(item: T): void;
  /** How long before the first slot `prepare` starts, so that its round trip does not make sends late. */
  prepareLeadMs: number;
  lateToleranceMs: number;
  clock?: SlotClock;
};

/** Returns how many times the chunk had to reserve again because a send would have been late. */
export async function launchInSlots<T>(items: T[], plan: SlotPlan<T>): Promise<{ rereserved: number }> {
  const clock = plan.clock ?? systemClock;
  const costOf = (list: T[]) => list.reduce((sum, item) => sum + plan.costOf(item), 0);
  let slot = await plan.reserve(costOf(items));
  let firstAt = clock.now() + slot.waitMs;
  await clock.sleep(firstAt - plan.prepareLeadMs - clock.now());
  const ready = await plan.prepare(items);
  let rereserved = 0;
  let offset = 0;
  for (let i = 0; i < ready.length; i++) {
    for (;;) {
      const wait = firstAt + offset - clock.now();
      // Looked at again after sleeping: the timer itself may have fired late.
      if (wait > 0) await clock.sleep(wait);
      else if (wait >= -plan.lateToleranceMs) break;
      else {
        rereserved++;
        slot = await plan.reserve(costOf(ready.slice(i)));
        firstAt = clock.now() + slot.waitMs;
        offset = 0;
        if (slot.waitMs === 0) break;
      }
    }
    plan.launch(ready[i]!);
    offset += plan.costOf(ready[i]!) * slot.msPerUnit;
  }
  return { rereserved };
}
