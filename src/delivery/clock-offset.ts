/**
 * Where a shared clock (Redis' TIME) stands against this process's own. Pacing slots are handed out on
 * Redis' clock, the one every worker shares, and each worker must place them on its own clock. Reading
 * "start minus now" off the reply instead puts a whole chunk late by however long the reply took to be
 * read (a busy event loop: tens of milliseconds), and a chunk shifted late overlaps the next chunk,
 * sent by another worker on time: both send at once.
 *
 * Estimated as NTP does: a round trip bounds the offset within half its duration, so the shortest
 * round trip gives the best estimate. A sample's bound loosens by 1 ms per second of age, so that a
 * fresh one replaces it before the clocks can drift apart (the local clock here is monotonic, Redis'
 * follows the wall clock).
 */
export const localNow = (): number => performance.timeOrigin + performance.now();

const AGING_MS_PER_SECOND = 1;

export class ClockOffset {
  private best: { offset: number; roundTrip: number; at: number } | undefined;

  /** One round trip: asked at `sentAt`, answered at `answeredAt` (local ms); `remote` was read meanwhile. */
  sample(sentAt: number, remote: number, answeredAt: number): void {
    const roundTrip = answeredAt - sentAt;
    const bound = this.best && this.best.roundTrip + ((answeredAt - this.best.at) / 1000) * AGING_MS_PER_SECOND;
    if (bound === undefined || roundTrip <= bound) this.best = { offset: remote - (sentAt + answeredAt) / 2, roundTrip, at: answeredAt };
  }

  /** The local time of a moment read on the remote clock. */
  toLocal(remote: number): number {
    return remote - (this.best?.offset ?? 0);
  }
}
