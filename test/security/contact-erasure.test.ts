/**
 * Erasure on request (DELETE /v1/contacts/:id) after a real send and a reply: the contact's phone,
 * name, attributes, message texts and reply addresses are gone from every table, the report of what was
 * sent is unchanged, the erasure is audited, and a later step leaves the contact out.
 */
import { describe, expect, it } from 'vitest';
import { waitFor, type Harness } from '../support/harness.js';
import { newSid, postSigned } from './webhook-client.js';
import { useTwilioHarness } from '../operations/twilio-harness.js';

const ERASED = { phone: '0981 800 001', name: 'Tania Ayala', role: 'parent', channel: 'sms', language: 'es', attributes: { child: 'Tito Ayala' } };
const KEPT = { phone: '0981 800 002', name: 'Luis Vera', role: 'parent', channel: 'whatsapp', language: 'es' };
const ERASED_E164 = '+595981800001';

describe('erasing a contact on request', () => {
  const campana = useTwilioHarness({
    twilio: {
      callbacks: { enabled: true, delayMs: 20 },
      outcome: (p) => (p.To === ERASED_E164 ? { createError: { status: 400, code: 21614, message: `'To' number ${ERASED_E164} is not a mobile number` } } : 'delivered'),
    },
  });
  const { twilio } = campana;
  let campaignId: number;
  let erasedId: number;
  let stepOneBefore: unknown;

  it('sends step 1 and takes a reply, leaving personal data in deliveries and replies', async () => {
    erasedId = (await campana.h.api('POST', '/v1/contacts', ERASED)).body.id;
    await campana.h.api('POST', '/v1/contacts', KEPT);
    const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const created = await campana.h.api('POST', '/v1/campaigns', {
      name: 'Dos pasos',
      steps: [
        { sendAt: at(1), content: { es: { body: 'Hola {{contact.name}}, paso uno' } } },
        { sendAt: at(6), content: { es: { body: 'Hola {{contact.name}}, paso dos' } } },
      ],
    });
    campaignId = created.body.id;
    await campana.h.api('POST', `/v1/campaigns/${campaignId}/approve`, undefined, campana.approverKey);
    await waitFor('step 1 settled', async () => {
      const { body } = await campana.h.api('GET', `/v1/campaigns/${campaignId}/report`);
      // Counts settled and the step completed: nothing about it changes after this.
      return body.steps[0].failed === 1 && body.steps[0].read === 1 && body.steps[0].status === 'completed' && body.steps[0];
    });
    const reply = { MessageSid: newSid(), AccountSid: twilio.accountSid, From: ERASED_E164, To: '+595210000098', Body: 'Gracias, soy la mamá de Tito' };
    expect((await postSigned(campana.h, '/webhooks/twilio/inbound', reply, twilio.authToken)).status).toBe(200);
    expect((await campana.h.api('POST', `/v1/contacts/${erasedId}/opt-out`, { reason: 'Tania Ayala called the school' })).status).toBe(200);
    expect(await tablesMentioning(campana.h, ERASED_E164)).toEqual(expect.arrayContaining(['contacts', 'deliveries', 'inbound_messages']));
    expect(await tablesMentioning(campana.h, 'Tania')).toEqual(expect.arrayContaining(['audit_log', 'contacts', 'deliveries']));
    stepOneBefore = (await campana.h.api('GET', `/v1/campaigns/${campaignId}/report`)).body.steps[0];
  });

  it('erases phone, name, attributes and texts, and says how much it purged', async () => {
    const { status, body } = await campana.h.api('DELETE', `/v1/contacts/${erasedId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: erasedId, deliveriesPurged: 1, repliesPurged: 1 });

    const { rows } = await campana.h.services.db.pool.query('SELECT phone, name, attributes, opted_out, erased_at IS NOT NULL AS erased FROM contacts WHERE id = $1', [erasedId]);
    expect(rows[0]).toEqual({ phone: null, name: null, attributes: {}, opted_out: true, erased: true });
    for (const text of [ERASED_E164, '981800001', 'Tania', 'Ayala', 'Tito']) expect(await tablesMentioning(campana.h, text), text).toEqual([]);
    expect((await campana.h.api('GET', `/v1/contacts/${erasedId}`)).status).toBe(404);
  });

  it('keeps what the report counts, and what the reply did', async () => {
    expect((await campana.h.api('GET', `/v1/campaigns/${campaignId}/report`)).body.steps[0]).toEqual(stepOneBefore);
    const { rows } = await campana.h.services.db.pool.query('SELECT status, channel, language, error_code, error_message FROM deliveries WHERE contact_id = $1', [erasedId]);
    expect(rows[0]).toMatchObject({ status: 'failed', channel: 'sms', language: 'es', error_code: 21614 });
    expect(rows[0].error_message).toContain('[erased]');
    const replies = await campana.h.services.db.pool.query('SELECT action, body, from_address FROM inbound_messages WHERE contact_id = $1', [erasedId]);
    expect(replies.rows).toEqual([{ action: 'none', body: null, from_address: null }]);
  });

  it('writes who erased whom to the audit log', async () => {
    const { rows } = await campana.h.services.db.pool.query(`SELECT action, entity_id, user_id IS NOT NULL AS by_user, request_id IS NOT NULL AS with_request FROM audit_log WHERE entity_type = 'contact' ORDER BY id`);
    expect(rows).toEqual([
      { action: 'contact.opt_out', entity_id: String(erasedId), by_user: true, with_request: true },
      { action: 'contact.erase', entity_id: String(erasedId), by_user: true, with_request: true },
    ]);
  });

  it('answers again the same for an erased contact, and 404 for one that never was', async () => {
    const first = await campana.h.services.db.pool.query<{ erased_at: Date }>('SELECT erased_at FROM contacts WHERE id = $1', [erasedId]);
    const again = await campana.h.api('DELETE', `/v1/contacts/${erasedId}`);
    expect(again.body).toEqual({ id: erasedId, erasedAt: first.rows[0]!.erased_at.toISOString(), deliveriesPurged: 0, repliesPurged: 0 });
    const missing = await campana.h.api('DELETE', '/v1/contacts/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('contact 999999 not found');
  });

  it('never sends to the erased contact again: step 2 does not even target them', async () => {
    await waitFor('step 2 settled', async () => (await campana.h.api('GET', `/v1/campaigns/${campaignId}`)).body.status === 'completed', 20_000);
    const { body } = await campana.h.api('GET', `/v1/campaigns/${campaignId}/report`);
    expect(body.steps[1]).toMatchObject({ targeted: 1, read: 1 });
    expect(twilio.messages.filter((m) => m.to === ERASED_E164)).toHaveLength(0);
  });
});

/** The tables where some row, read as text, contains `text`. */
async function tablesMentioning(h: Harness, text: string): Promise<string[]> {
  const { pool } = h.services.db;
  const { rows: tables } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`);
  const found: string[] = [];
  for (const { name } of tables) {
    const { rowCount } = await pool.query(`SELECT 1 FROM "${name}" t WHERE t::text LIKE '%' || $1 || '%' LIMIT 1`, [text]);
    if (rowCount) found.push(name);
  }
  return found;
}
