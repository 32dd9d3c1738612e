/**
 * What messages cost: an SMS is paid per segment, a WhatsApp message per message (a utility template),
 * at the deployment's configured prices. Amounts are rounded to 1/10,000 of the currency unit only when
 * shown, so that sums of many small prices stay exact enough.
 */
import type { Channel } from '../providers/provider.js';
import type { Prices } from '../settings/settings.js';

/** What sending costs: SMS by the segment, WhatsApp by the message. */
export function sendingCost(channel: Channel, counts: { messages: number; segments: number }, prices: Prices): number {
  return channel === 'sms' ? counts.segments * prices.smsPerSegment : counts.messages * prices.whatsappPerMessage;
}

export function money(amount: number): number {
  return Math.round(amount * 10_000) / 10_000;
}
