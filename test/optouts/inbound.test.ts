/**
 * Replies matched to their contact whatever the channel: WhatsApp's `whatsapp:` prefix is not part of
 * the number, and a stored number libphonenumber does not call a mobile is still matched as written.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInbound } from '../../src/optouts/inbound.js';
import { resetDatabase } from '../support/harness.js';

describe('matching an inbound reply to its contact', () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  const reply = (from: string, body: string, sid: string) => handleInbound(pool, { From: from, To: '+595210000099', Body: body, MessageSid: sid });
  const optedOut = async (phone: string) => (await pool.query<{ opted_out: boolean }>('SELECT opted_out FROM contacts WHERE phone = $1', [phone])).rows[0]!.opted_out;

  beforeAll(async () => {
    await resetDatabase();
    // 0980 numbers parse as toll-free; one may still have been stored as written by an earlier import.
    await pool.query(`INSERT INTO contacts (phone, name, role, language, channel) VALUES
      ('+595981000001', 'A', 'parent', 'es', 'whatsapp'), ('+595980000002', 'B', 'parent', 'gn', 'whatsapp'), ('+595980000003', 'C', 'parent', 'es', 'sms')`);
  });
  afterAll(() => pool.end());

  it('opts out a WhatsApp sender, a number stored as written, and an SMS sender', async () => {
    for (const [from, sid] of [['whatsapp:+595981000001', 'SM1'], ['whatsapp:+595980000002', 'SM2'], ['+595980000003', 'SM3']] as const) {
      const result = await reply(from, 'BAJA', sid);
      expect(result, from).toMatchObject({ action: 'opt_out', duplicate: false });
      expect(result.contactId, from).not.toBeNull();
    }
    expect([await optedOut('+595981000001'), await optedOut('+595980000002'), await optedOut('+595980000003')]).toEqual([true, true, true]);
  });

  it('stores a reply from an unknown number without a contact', async () => {
    expect(await reply('whatsapp:+595982999999', 'STOP', 'SM4')).toMatchObject({ action: 'opt_out', contactId: null });
  });
});
