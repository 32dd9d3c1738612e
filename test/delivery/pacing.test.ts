/** The per-sender pacer on the real Redis: consecutive slots, weighted by cost, and the throttle. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { localNow } from '../../src/delivery/clock-offset.js';
import { Pacer } from '../../src/delivery/pacing.js';

describe('pacing a sender', () => {
  const redis = new Redis(process.env.REDIS_URL!);
  const pacer = new Pacer(redis, `{pace-${randomBytes(3).toString('hex')}}`);
  afterAll(() => redis.quit());

  it('hands out consecutive slots: each reservation waits for the cost of those before it', async () => {
    const asked = localNow();
    const first = await pacer.reserve('sms:a', 10, 100);
    const second = await pacer.reserve('sms:a', 10, 100);
    const third = await pacer.reserve('sms:a', 5, 100);
    // Placed on this process's clock: the first slot is now (the same machine's clock, read by Redis).
    expect(Math.abs(first.startsAt() - asked)).toBeLessThan(20);
    expect(first.msPerUnit).toBe(10);
    // 10 units at 100/s take 100 ms: the second starts 100 ms after the first, the third 200 ms after
    // (give or take the clock offset's estimate, which half a round trip bounds).
    expect(Math.abs(second.startsAt() - first.startsAt() - 100)).toBeLessThan(5);
    expect(Math.abs(third.startsAt() - first.startsAt() - 200)).toBeLessThan(5);
  });

  it('banks no idle time: after a pause the next slot is now, not a burst of missed ones', async () => {
    await pacer.reserve('sms:b', 10, 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const asked = localNow();
    const after = await pacer.reserve('sms:b', 10, 1000);
    const next = await pacer.reserve('sms:b', 10, 1000);
    expect(Math.abs(after.startsAt() - asked)).toBeLessThan(20);
    expect(Math.abs(next.startsAt() - after.startsAt() - 10)).toBeLessThan(5);
  });

  it('halves the rate when the provider says too fast, and recovers it with time', async () => {
    expect(await pacer.slowDown('wa:c')).toBe(0.5);
    const slowed = await pacer.reserve('wa:c', 1, 80);
    expect(slowed.msPerUnit).toBeCloseTo(1000 / 40, 0);
    expect(await pacer.slowDown('wa:c')).toBeCloseTo(0.25, 2);
    // The factor recovers linearly towards 1 over a minute: a few hundred ms later it is slightly higher.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const recovering = await pacer.reserve('wa:c', 1, 80);
    expect(1000 / recovering.msPerUnit).toBeGreaterThan(20);
    expect(1000 / recovering.msPerUnit).toBeLessThan(40);
  });
});
