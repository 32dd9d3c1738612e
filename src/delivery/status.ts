/**
 * The one place that owns how a delivery's status may move. Statuses follow Twilio's lifecycle and only
 * ever move forward: repeated and out-of-order callbacks (Twilio sends both) must leave the right final
 * status. `sent` can be overtaken by `delivered`, `delivered` by `read`; `failed` and `undelivered`
 * are final, and so are our own `skipped` and `cancelled`.
 */

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  read: 4,
  skipped: 5,
  cancelled: 5,
};

const FINAL = new Set<DeliveryStatus>(['undelivered', 'failed', 'read', 'skipped', 'cancelled']);

export function isFinal(status: DeliveryStatus): boolean {
  return FINAL.has(status);
}

/** The status after `incoming` is reported for a delivery that is `current`. */
export function advance(current: DeliveryStatus, incoming: DeliveryStatus): DeliveryStatus {
  if (FINAL.has(current)) return current;
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** Twilio's message statuses mapped onto ours; statuses that say nothing about delivery give null. */
export function fromProviderStatus(status: string): DeliveryStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
    case 'sent':
    case 'delivered':
    case 'read':
    case 'undelivered':
    case 'failed':
      return status;
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

/**
 * The same rule as `advance`, as a SQL expression, for set-based updates of many deliveries at once.
 * Built from the tables above so that TypeScript and SQL cannot drift apart.
 */
export function advanceSql(currentColumn: string, incomingExpression: string): string {
  const rank = (expr: string) => `(CASE ${expr} ${Object.entries(RANK).map(([s, r]) => `WHEN '${s}' THEN ${r}`).join(' ')} END)`;
  const finals = [...FINAL].map((s) => `'${s}'`).join(', ');
  return `(CASE WHEN ${currentColumn}::text IN (${finals}) THEN ${currentColumn} WHEN ${rank(`${incomingExpression}::text`)} > ${rank(`${currentColumn}::text`)} THEN (${incomingExpression})::delivery_status ELSE ${currentColumn} END)`;
}
