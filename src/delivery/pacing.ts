/**
 * Paces each sender across every worker process, smoothly: a Redis script hands out send slots
 * (GCRA: each reservation moves the sender's "theoretical arrival time" forward by cost / rate). Unused
 * time is never banked, so there are no bursts, unlike a fixed-window limiter that releases a whole
 * second's quota at once. SMS cost is counted in segments, as Twilio does.
 *
 * When the provider says we are too fast (20429, 21611, 30001) the sender's rate is halved and then
 * recovers linearly to the configured rate over RECOVERY_SECONDS.
 */
import type { Redis } from 'ioredis';
import { ClockOffset, localNow } from './clock-offset.js';

const RECOVERY_SECONDS = 60;
const MIN_FACTOR = 0.05;

// KEYS[1] = slot key, KEYS[2] = factor key; ARGV = cost, configured rate/s, recovery seconds.
// Returns { start ms, now ms, rate in force } with start and now on Redis' clock, the one every worker shares.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local cost = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local f = redis.call('HMGET', KEYS[2], 'factor', 'at')
local factor = 1
if f[1] then
  factor = math.min(1, tonumber(f[1]) + (now - tonumber(f[2])) / 1000 / tonumber(ARGV[3]) * (1 - tonumber(f[1])))
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + cost * 1000 / (rate * factor)
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 60000)
return { tostring(tat), tostring(now), tostring(rate * factor) }
`;

const SLOW_DOWN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local f = redis.call('HMGET', KEYS[1], 'factor', 'at')
local factor = 1
if f[1] then
  factor = math.min(1, tonumber(f[1]) + (now - tonumber(f[2])) / 1000 / tonumber(ARGV[2]) * (1 - tonumber(f[1])))
end
factor = math.max(tonumber(ARGV[1]), factor / 2)
redis.call('HSET', KEYS[1], 'factor', tostring(factor), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2000)
return tostring(factor)
`;

export type Reservation = {
  /**
   * When the first unit of the reservation may go, on this process's clock (`localNow`). Read it when
   * it is needed, not once: the estimate of Redis' clock improves with every round trip, and the
   * reservations made at start-up, when every round trip is slow, are the ones that wait longest.
   */
  startsAt(): number;
  /** Milliseconds between two units of cost at the rate in force. */
  msPerUnit: number;
};

export class Pacer {
  private readonly redisClock = new ClockOffset();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Reserves `cost` units (messages or segments) of `sender`'s rate for consecutive slots. */
  async reserve(sender: string, cost: number, ratePerSecond: number): Promise<Reservation> {
    const sentAt = localNow();
    const [start, now, rate] = (await this.redis.eval(RESERVE, 2, this.slotKey(sender), this.factorKey(sender), cost, ratePerSecond, RECOVERY_SECONDS)) as string[];
    this.redisClock.sample(sentAt, Number(now), localNow());
    return { startsAt: () => this.redisClock.toLocal(Number(start)), msPerUnit: 1000 / Number(rate) };
  }


  /** The provider refused for speed: halve the sender's rate; it recovers by itself. Returns the new factor. */
  async slowDown(sender: string): Promise<number> {
    return Number(await this.redis.eval(SLOW_DOWN, 1, this.factorKey(sender), MIN_FACTOR, RECOVERY_SECONDS));
  }

  private slotKey(sender: string): string {
    return `${this.prefix}:pace:${sender}`;
  }

  private factorKey(sender: string): string {
    return `${this.prefix}:pace-factor:${sender}`;
  }
}
