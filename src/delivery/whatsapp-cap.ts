/**
 * Meta limits how many unique recipients a WhatsApp sender may start conversations with in a rolling
 * 24 hours (its messaging tier). Each sender keeps, in Redis, the recipients it messaged and when; a
 * recipient already in the window costs nothing, a new one takes a place while places are left.
 * Checked across all workers in one script, just before a chunk is claimed.
 *
 * Redis is not the truth: when it loses its data the window is rebuilt from the deliveries accepted in
 * the last 24 hours.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';

export const WINDOW_MS = 24 * 60 * 60 * 1000;

// KEYS[1] = the sender's window; ARGV = cap, window ms, recipients...
// Returns { free-at ms (0 when nothing was refused), admitted recipients... }.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = {}
local refused = false
for i = 3, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now, ARGV[i])
    table.insert(admitted, ARGV[i])
  elseif count < cap then
    redis.call('ZADD', KEYS[1], now, ARGV[i])
    count = count + 1
    table.insert(admitted, ARGV[i])
  else
    refused = true
  end
end
redis.call('PEXPIRE', KEYS[1], window)
local freeAt = 0
if refused then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  freeAt = tonumber(oldest[2]) + window
end
table.insert(admitted, 1, tostring(freeAt))
return admitted
`;

export type Admission = { admitted: Set<string>; /** When a place frees up, if anyone was refused. */ freeAt: Date | null };

export class WhatsappCap {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Unique recipients per 24 hours per sender; 0 means no cap. */
    readonly cap: number,
  ) {}

  /** Which of these recipients (contact ids) `sender` may message now. */
  async admit(sender: string, recipients: string[]): Promise<Admission> {
    if (this.cap === 0 || recipients.length === 0) return { admitted: new Set(recipients), freeAt: null };
    const [freeAt, ...admitted] = (await this.redis.eval(ADMIT, 1, this.key(sender), this.cap, WINDOW_MS, ...recipients)) as string[];
    return { admitted: new Set(admitted), freeAt: Number(freeAt) > 0 ? new Date(Number(freeAt)) : null };
  }

  /** Refills every sender's window from the WhatsApp deliveries accepted in the last 24 hours. */
  async rebuild(pool: pg.Pool): Promise<number> {
    if (this.cap === 0) return 0;
    const { rows } = await pool.query<{ sender: string; contact_id: number; at: Date }>(
      `SELECT sender, contact_id, max(accepted_at) AS at FROM deliveries
       WHERE channel = 'whatsapp' AND accepted_at > now() - interval '24 hours' AND sender IS NOT NULL
       GROUP BY sender, contact_id`,
    );
    const pipeline = this.redis.pipeline();
    for (const row of rows) pipeline.zadd(this.key(row.sender), row.at.getTime(), String(row.contact_id));
    for (const sender of new Set(rows.map((r) => r.sender))) pipeline.pexpire(this.key(sender), WINDOW_MS);
    await pipeline.exec();
    return rows.length;
  }

  private key(sender: string): string {
    return `${this.prefix}:whatsapp-window:${sender}`;
  }
}

/**
 * Deliveries the cap refused: sent by SMS instead when the campaign says so and an SMS sender exists,
 * otherwise held until a place in the window frees up. Either way the delivery says so (cap_action),
 * and a send job is queued for when it can go.
 */
export async function holdForCap(
  pool: pg.Pool,
  queueSend: (ids: string[], delayMs: number) => Promise<void>,
  refused: string[],
  freeAt: Date,
  toSms: boolean,
): Promise<void> {
  if (refused.length === 0) return;
  if (toSms) {
    const { rows } = await pool.query<{ id: string }>(
      `UPDATE deliveries SET channel = 'sms', cap_action = 'sms',
              attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('event', 'moved to SMS', 'at', now(), 'reason', 'whatsapp_cap'))
       WHERE id = ANY($1::bigint[]) AND pending AND claimed_until IS NULL RETURNING id::text`,
      [refused],
    );
    await queueSend(rows.map((r) => r.id), 0);
    return;
  }
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE deliveries SET next_attempt_at = $2, cap_action = 'deferred',
            attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('event', 'deferred', 'at', now(), 'until', $2::timestamptz, 'reason', 'whatsapp_cap'))
     WHERE id = ANY($1::bigint[]) AND pending AND claimed_until IS NULL RETURNING id::text`,
    [refused, freeAt],
  );
  await queueSend(rows.map((r) => r.id), Math.max(0, freeAt.getTime() - Date.now()));
}
