/**
 * Erasing a contact on request: their personal data goes, the anonymous facts that make reports add up
 * stay. In one transaction:
 *  - the contact loses phone, name and attributes, is marked erased and opted out (nothing is ever sent
 *    to them again; deliveries still waiting are skipped as opted out);
 *  - their deliveries lose the message bodies, and error texts lose any phone number in them
 *    (channel, language, status, timestamps and error codes stay, so every count is unchanged);
 *  - their replies lose body and addresses (the action a reply caused stays);
 *  - audit entries about them lose the free-text reason staff may have written (who did what, and when, stay);
 *  - messages the sandbox provider stored for them are deleted.
 * The erasure itself is audited (contact.erase: who, when, which contact id).
 * Erasing an erased contact again changes nothing and answers the same.
 */
import type pg from 'pg';
import { writeAudit, type Actor } from '../audit/audit-log.js';
import { notFound } from '../http/errors.js';
import { optOut } from '../optouts/opt-out.js';
import { inTransaction } from '../runtime/database.js';

export type ErasureReport = { id: number; erasedAt: Date; deliveriesPurged: number; repliesPurged: number };

export async function eraseContact(pool: pg.Pool, id: number, erasedBy: Actor): Promise<ErasureReport> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ phone: string | null; erased_at: Date | null }>('SELECT phone, erased_at FROM contacts WHERE id = $1 FOR UPDATE', [id]);
    const contact = rows[0];
    if (!contact) throw notFound(`contact ${id}`);
    if (contact.erased_at) return { id, erasedAt: contact.erased_at, deliveriesPurged: 0, repliesPurged: 0 };

    await optOut(client, [id], 'erasure');
    const erased = await client.query<{ erased_at: Date }>(
      `UPDATE contacts SET phone = NULL, name = NULL, attributes = '{}', erased_at = now(), updated_at = now() WHERE id = $1 RETURNING erased_at`,
      [id],
    );
    const deliveries = await client.query(
      `WITH own AS (
         -- Deliveries have no index on contact_id alone (it would cost on every send), but (step_id,
         -- contact_id) has a unique one: a probe per step instead of a scan of millions of rows. LIMIT 1
         -- (there is at most one) keeps the planner from turning the probes into a whole-index scan.
         SELECT d.id FROM campaign_steps s
         CROSS JOIN LATERAL (SELECT x.id FROM deliveries x WHERE x.step_id = s.id AND x.contact_id = $1 AND x.fallback_for_id IS NULL LIMIT 1) d
       ), erased AS (
         SELECT id FROM own
         UNION ALL
         -- SMS fallbacks are outside that index; they are found from the delivery they replace.
         SELECT f.id FROM deliveries f JOIN own ON f.fallback_for_id = own.id
       )
       UPDATE deliveries d SET body = NULL, error_message = regexp_replace(d.error_message, '\\+?\\d{7,15}', '[erased]', 'g')
       FROM erased e WHERE d.id = e.id`,
      [id],
    );
    const addresses = contact.phone ? [contact.phone, `whatsapp:${contact.phone}`] : [];
    const replies = await client.query(
      'UPDATE inbound_messages SET body = NULL, from_address = NULL, contact_id = $1 WHERE contact_id = $1 OR from_address = ANY($2::text[])',
      [id, addresses],
    );
    await client.query('DELETE FROM sandbox_messages WHERE to_address = ANY($1::text[])', [addresses]);
    await client.query(`UPDATE audit_log SET changes = changes - 'reason' WHERE entity_type = 'contact' AND entity_id = $1 AND changes ? 'reason'`, [String(id)]);
    await writeAudit(client, erasedBy, { action: 'contact.erase', entityType: 'contact', entityId: id });
    return { id, erasedAt: erased.rows[0]!.erased_at, deliveriesPurged: deliveries.rowCount ?? 0, repliesPurged: replies.rowCount ?? 0 };
  });
}
