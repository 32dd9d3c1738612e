/**
 * The status callbacks bench:webhooks sends, derived from nothing but a few numbers so that the load
 * generator (which signs and sends them) and the bench (which checks the database afterwards) build the
 * same list without passing it around.
 *
 * Delivery `id` has SID `SM` + md5(id) and is SMS when `id` is even, WhatsApp when odd (the bench
 * writes its rows the same way). Callbacks roll through the deliveries in chunks, the way a real step's
 * callbacks arrive: while chunk k gets its `sent`, chunk k-1 gets `delivered` and chunk k-2 `read`, all
 * shuffled together. WhatsApp messages are read 60 % of the time; 1 % of SMS end `undelivered` (30003)
 * instead of `delivered`; 1 % of deliveries have `delivered` arrive before `sent`; 3 % of callbacks are
 * sent a second time one chunk later (Twilio does not promise against either).
 */
import { createHash } from 'node:crypto';
import type { DeliveryStatus } from '../src/delivery/status.js';

export type PlannedCallback = { deliveryId: number; status: 'sent' | 'delivered' | 'read' | 'undelivered'; errorCode?: number; duplicate: boolean };

export type PlanOptions = { firstId: number; deliveries: number; chunk?: number; seed?: number };

export const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
export const SMS_FROM = '+595210000098';
export const WHATSAPP_FROM = 'whatsapp:+595210000099';

export const sidOf = (deliveryId: number) => `SM${createHash('md5').update(String(deliveryId)).digest('hex')}`;
export const isSms = (deliveryId: number) => deliveryId % 2 === 0;
/** The contact phone of a delivery (the bench gives delivery i the contact i). */
export const phoneOf = (deliveryId: number) => `+5959${String(deliveryId).padStart(8, '0')}`;

/** A small deterministic PRNG (mulberry32), so every process builds the same plan. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildPlan({ firstId, deliveries, chunk = 4000, seed = 42 }: PlanOptions): PlannedCallback[] {
  const rnd = random(seed);
  // What happens to each delivery, decided up front.
  const fate = new Uint8Array(deliveries); // bit 0: read, bit 1: undelivered, bit 2: delivered before sent
  for (let i = 0; i < deliveries; i++) {
    const id = firstId + i;
    let f = 0;
    if (!isSms(id) && rnd() < 0.6) f |= 1;
    if (isSms(id) && rnd() < 0.01) f |= 2;
    if (rnd() < 0.01) f |= 4;
    fate[i] = f;
  }
  const plan: PlannedCallback[] = [];
  let duplicatesForNext: PlannedCallback[] = [];
  const chunks = Math.ceil(deliveries / chunk);
  for (let k = 0; k < chunks + 2; k++) {
    const batch: PlannedCallback[] = duplicatesForNext.map((c) => ({ ...c, duplicate: true }));
    duplicatesForNext = [];
    const range = (c: number) => (c >= 0 && c < chunks ? [c * chunk, Math.min(deliveries, (c + 1) * chunk)] : [0, 0]);
    const [s0, s1] = range(k);
    for (let i = s0!; i < s1!; i++) {
      const id = firstId + i;
      if (fate[i]! & 4) batch.push(finalOf(id, fate[i]!)); // the later status overtakes `sent`
      batch.push({ deliveryId: id, status: 'sent', duplicate: false });
    }
    const [d0, d1] = range(k - 1);
    for (let i = d0!; i < d1!; i++) if (!(fate[i]! & 4)) batch.push(finalOf(firstId + i, fate[i]!));
    const [r0, r1] = range(k - 2);
    for (let i = r0!; i < r1!; i++) if (fate[i]! & 1) batch.push({ deliveryId: firstId + i, status: 'read', duplicate: false });
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [batch[i], batch[j]] = [batch[j]!, batch[i]!];
    }
    for (const c of batch) if (!c.duplicate && rnd() < 0.03) duplicatesForNext.push(c);
    plan.push(...batch);
  }
  plan.push(...duplicatesForNext.map((c) => ({ ...c, duplicate: true })));
  return plan;
}

function finalOf(id: number, fate: number): PlannedCallback {
  return fate & 2 ? { deliveryId: id, status: 'undelivered', errorCode: 30003, duplicate: false } : { deliveryId: id, status: 'delivered', duplicate: false };
}

/** The form fields Twilio posts for one callback, in the order Twilio sends them. */
export function callbackParams(c: PlannedCallback): Record<string, string> {
  const sid = sidOf(c.deliveryId);
  const sms = isSms(c.deliveryId);
  const to = sms ? phoneOf(c.deliveryId) : `whatsapp:${phoneOf(c.deliveryId)}`;
  const params: Record<string, string> = {
    ...(sms ? {} : { ChannelPrefix: 'whatsapp', ChannelToAddress: phoneOf(c.deliveryId) }),
    ...(c.errorCode ? { ErrorCode: String(c.errorCode) } : {}),
    SmsSid: sid,
    SmsStatus: c.status,
    MessageStatus: c.status,
    To: to,
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: sms ? SMS_FROM : WHATSAPP_FROM,
    ApiVersion: '2010-04-01',
  };
  return params;
}

/** The final state a delivery must show once the given callbacks are applied (statuses only move forward). */
export type Expected = { status: DeliveryStatus; sent: boolean; delivered: boolean; read: boolean; failed: boolean; errorCode: number | null };
