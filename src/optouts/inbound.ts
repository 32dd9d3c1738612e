/**
 * A reply from a recipient: stored, and acted on when it is a keyword (opt out, opt back in, help),
 * with a confirmation in the contact's language. Twilio may deliver the same inbound message twice; the
 * MessageSid makes the second one a no-op that answers the same way.
 */
import type pg from 'pg';
import { parsePhone } from '../contacts/phone.js';
import { inTransaction } from '../runtime/database.js';
import { classifyReply, type ReplyAction } from './keywords.js';
import { optIn, optOut } from './opt-out.js';
import { replyText } from './replies.js';

export type InboundResult = { action: ReplyAction; reply: string | null; duplicate: boolean; contactId: number | null };

export async function handleInbound(pool: pg.Pool, fields: Record<string, string>): Promise<InboundResult> {
  const from = fields.From ?? '';
  const channel = from.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  // The number without its channel prefix: what contacts.phone holds, parsed or not.
  const address = from.replace(/^whatsapp:/, '');
  const phone = parsePhone(address);
  const action = classifyReply(fields.Body ?? '');
  return inTransaction(pool, async (client) => {
    const { rows: contacts } = await client.query<{ id: number; language: string }>(
      'SELECT id, language FROM contacts WHERE phone = $1',
      [phone.ok ? phone.e164 : address],
    );
    const contact = contacts[0];
    const inserted = await client.query(
      `INSERT INTO inbound_messages (provider_sid, channel, from_address, to_address, body, contact_id, action)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (provider_sid) DO NOTHING`,
      [fields.MessageSid, channel, phone.ok ? phone.e164 : from.slice(0, 64), fields.To ?? null, (fields.Body ?? '').slice(0, 1600), contact?.id ?? null, action],
    );
    const duplicate = inserted.rowCount === 0;
    if (!duplicate && contact) {
      if (action === 'opt_out') await optOut(client, [contact.id], `reply:${channel}`);
      if (action === 'opt_in') await optIn(client, [contact.id], `reply:${channel}`);
    }
    const reply = action === 'none' ? null : replyText(action, contact?.language ?? 'es');
    return { action, reply, duplicate, contactId: contact?.id ?? null };
  });
}

export function twiml(reply: string | null): string {
  if (!reply) return '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(reply)}</Message></Response>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
