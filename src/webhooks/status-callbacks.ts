/**
 * Applying Twilio's status callbacks with group commit: callbacks arriving together are written in one
 * transaction, and each HTTP request is answered only after its callback is committed, so every callback
 * Twilio saw acknowledged is durable. Within a group, callbacks for the same message are applied in the
 * order they arrived, through the same forward-only status rule as everywhere else.
 *
 * A callback names its delivery by the `d` query parameter we put in the StatusCallback URL, which makes
 * it applicable even before the sender has stored the SID. A callback naming no known delivery or SID is
 * kept in pending_status_callbacks and applied once the SID appears.
 */
import type pg from 'pg';
import { inTransaction } from '../runtime/database.js';
import { advanceSql, fromProviderStatus, type DeliveryStatus } from '../delivery/status.js';

export type StatusCallback = {
  deliveryId?: string;
  sid: string;
  status: DeliveryStatus;
  errorCode?: number;
  errorMessage?: string;
};

export type AppliedGroup = {
  /** WhatsApp deliveries this group failed with an error SMS can get around (63003, 63016). */
  whatsappFailures: string[];
  unmatched: number;
};

const SMS_FALLBACK_CODES = [63003, 63016];

/** Parses Twilio's form fields; null when the callback carries no status we track. */
export function parseStatusCallback(fields: Record<string, unknown>, deliveryId?: string): StatusCallback | null {
  const sid = String(fields.MessageSid ?? fields.SmsSid ?? '');
  const status = fromProviderStatus(String(fields.MessageStatus ?? fields.SmsStatus ?? ''));
  if (!/^(SM|MM)[0-9a-f]{32}$/i.test(sid) || !status) return null;
  const code = Number(fields.ErrorCode);
  return {
    sid,
    status,
    ...(deliveryId && /^\d{1,18}$/.test(deliveryId) ? { deliveryId } : {}),
    ...(Number.isInteger(code) && code > 0 ? { errorCode: code } : {}),
    ...(fields.ErrorMessage ? { errorMessage: String(fields.ErrorMessage).slice(0, 500) } : {}),
  };
}

/** Applies callbacks in arrival order; returns what the caller may need to act on. */
export async function applyStatusCallbacks(pool: pg.Pool, callbacks: StatusCallback[]): Promise<AppliedGroup> {
  return inTransaction(pool, async (client) => {
    const result: AppliedGroup = { whatsappFailures: [], unmatched: 0 };
    for (const round of rounds(callbacks)) {
      const applied = await applyRound(client, round);
      result.whatsappFailures.push(...applied.whatsappFailures);
      const matched = new Set(applied.matched);
      const unmatched = round.filter((c) => !matched.has(c.sid));
      result.unmatched += unmatched.length;
      if (unmatched.length) {
        await client.query(
          `INSERT INTO pending_status_callbacks (provider_sid, status, error_code, error_message)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])`,
          [unmatched.map((c) => c.sid), unmatched.map((c) => c.status), unmatched.map((c) => c.errorCode ?? null), unmatched.map((c) => c.errorMessage ?? null)],
        );
      }
    }
    return result;
  });
}

/** Applies callbacks kept for SIDs that have since appeared on a delivery. */
export async function reconcilePendingCallbacks(pool: pg.Pool): Promise<AppliedGroup & { applied: number }> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ sid: string; status: DeliveryStatus; error_code: number | null; error_message: string | null }>(
      `WITH matched AS (
         DELETE FROM pending_status_callbacks p USING deliveries d
         WHERE d.provider_sid = p.provider_sid
         RETURNING p.id, p.provider_sid AS sid, p.status, p.error_code, p.error_message
       )
       SELECT sid, status, error_code, error_message FROM matched ORDER BY id`,
    );
    const result = { whatsappFailures: [] as string[], unmatched: 0, applied: rows.length };
    const callbacks = rows.map((r) => ({ sid: r.sid, status: r.status, ...(r.error_code ? { errorCode: r.error_code } : {}), ...(r.error_message ? { errorMessage: r.error_message } : {}) }));
    for (const round of rounds(callbacks)) result.whatsappFailures.push(...(await applyRound(client, round)).whatsappFailures);
    return result;
  });
}

/** Splits callbacks so that each round holds at most one callback per message, keeping arrival order. */
function rounds(callbacks: StatusCallback[]): StatusCallback[][] {
  const out: StatusCallback[][] = [];
  const seen = new Map<string, number>();
  for (const callback of callbacks) {
    const key = callback.deliveryId ?? callback.sid;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    (out[n] ??= []).push(callback);
  }
  return out;
}

async function applyRound(client: pg.PoolClient, round: StatusCallback[]): Promise<{ matched: string[]; whatsappFailures: string[] }> {
  const next = advanceSql('d.status', 't.status');
  // Only columns outside every index change here, so the row is updated in place (HOT). A callback that
  // changes nothing (a duplicate, or one overtaken by a later status) writes nothing at all.
  const { rows } = await client.query<{ sid: string; id: string; channel: string | null; status: string | null; error_code: number | null }>(
    `WITH incoming AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[]) AS i(delivery_id, sid, status, error_code, error_message)
     ), target AS (
       SELECT i.*, d.id AS id
       FROM incoming i
       JOIN deliveries d ON d.id = COALESCE(i.delivery_id, (SELECT x.id FROM deliveries x WHERE x.provider_sid = i.sid))
     ), changed AS (
       -- No FOR UPDATE above: the UPDATE re-reads a row another transaction changed meanwhile and
       -- re-checks its conditions, and a duplicate that changes nothing takes no lock and writes nothing.
       UPDATE deliveries d SET
         status = ${next},
         pending = false,
         provider_sid = COALESCE(d.provider_sid, t.sid),
         accepted_at = COALESCE(d.accepted_at, now()),
         claimed_until = NULL,
         sent_at = CASE WHEN t.status IN ('sent', 'delivered', 'read') THEN COALESCE(d.sent_at, now()) ELSE d.sent_at END,
         delivered_at = CASE WHEN t.status IN ('delivered', 'read') THEN COALESCE(d.delivered_at, now()) ELSE d.delivered_at END,
         read_at = CASE WHEN t.status = 'read' THEN COALESCE(d.read_at, now()) ELSE d.read_at END,
         failed_at = CASE WHEN t.status IN ('failed', 'undelivered') AND ${next} <> d.status THEN now() ELSE d.failed_at END,
         error_code = COALESCE(t.error_code, d.error_code),
         error_message = COALESCE(t.error_message, d.error_message)
       FROM target t
       WHERE d.id = t.id
         AND (${next} <> d.status OR d.pending OR d.provider_sid IS NULL OR d.claimed_until IS NOT NULL
              OR (t.status IN ('sent', 'delivered', 'read') AND d.sent_at IS NULL)
              OR (t.status IN ('delivered', 'read') AND d.delivered_at IS NULL)
              OR (t.error_code IS NOT NULL AND d.error_code IS DISTINCT FROM t.error_code))
       RETURNING d.id, d.channel::text AS channel, d.status::text AS status, d.error_code
     )
     SELECT t.sid, t.id::text AS id, c.channel, c.status, c.error_code
     FROM target t LEFT JOIN changed c ON c.id = t.id`,
    [
      round.map((c) => c.deliveryId ?? null),
      round.map((c) => c.sid),
      round.map((c) => c.status),
      round.map((c) => c.errorCode ?? null),
      round.map((c) => c.errorMessage ?? null),
    ],
  );
  return {
    matched: rows.map((r) => r.sid),
    whatsappFailures: rows
      .filter((r) => r.channel === 'whatsapp' && r.status === 'failed' && r.error_code !== null && SMS_FALLBACK_CODES.includes(r.error_code))
      .map((r) => r.id),
  };
}

/**
 * Collects callbacks from concurrent webhook requests and commits them together: the first callback of
 * a group waits at most `maxDelayMs` for others, a full group is written at once.
 */
export class StatusCallbackWriter {
  private group: Array<{ callback: StatusCallback; done: (err?: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly apply: (callbacks: StatusCallback[]) => Promise<unknown>,
    private readonly maxGroup = 1000,
    private readonly maxDelayMs = 5,
  ) {}

  write(callback: StatusCallback): Promise<void> {
    return new Promise((resolve, reject) => {
      this.group.push({ callback, done: (err) => (err ? reject(err) : resolve()) });
      if (this.group.length >= this.maxGroup) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
    });
  }

  /** Resolves once every callback handed in so far is committed or has failed. */
  async drain(): Promise<void> {
    if (this.group.length) this.flush();
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.group;
    this.group = [];
    if (group.length === 0) return;
    this.inFlight++;
    this.apply(group.map((g) => g.callback))
      .then(
        () => group.forEach((g) => g.done()),
        (err: Error) => group.forEach((g) => g.done(err)),
      )
      .finally(() => {
        this.inFlight--;
        // Waiters stay until nothing is in flight or waiting: a commit ending while another is still
        // open, or while new callbacks wait for their group, does not release them.
        if (this.inFlight > 0 || this.group.length > 0) return;
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      });
  }
}
