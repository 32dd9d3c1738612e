/**
 * The audience of a scenario: N parents written set-based, half on WhatsApp and half on SMS, one in
 * five in Guarani, with valid Paraguayan mobile numbers (0981 to 0985) (inbound replies are matched by parsed phone).
 */
import type pg from 'pg';

export async function seedAudience(pool: pg.Pool, size: number): Promise<void> {
  if (size > 4_999_999) throw new Error('the numbering plan below holds at most 4,999,999 contacts');
  const { rows } = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  await pool.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  await pool.query(
    `INSERT INTO contacts (phone, name, role, language, channel)
     SELECT '+5959' || (81 + i / 1000000)::text || lpad((i % 1000000)::text, 6, '0'), 'Familia ' || i, 'parent',
            CASE WHEN i % 5 = 0 THEN 'gn' ELSE 'es' END,
            CASE WHEN i % 2 = 0 THEN 'sms' ELSE 'whatsapp' END::channel
     FROM generate_series(1, $1::int) i`,
    [size],
  );
  await pool.query('ANALYZE contacts');
}

export type Recipient = { contactId: number; address: string; optedOut: boolean };

/** Every contact with the `To` the provider sees for them (`whatsapp:+595...` on WhatsApp). */
export async function recipients(pool: pg.Pool): Promise<Recipient[]> {
  const { rows } = await pool.query<Recipient>(
    `SELECT id AS "contactId", CASE WHEN channel = 'whatsapp' THEN 'whatsapp:' || phone ELSE phone END AS address, opted_out AS "optedOut"
     FROM contacts ORDER BY id`,
  );
  return rows;
}
