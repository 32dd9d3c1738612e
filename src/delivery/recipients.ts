/**
 * The recipients of one send batch, with everything their messages need (contact, school, school
 * results), in one query. Only deliveries still waiting, unowned and due are returned.
 */
import type pg from 'pg';
import type { MergeContext } from '../content/template.js';
import type { Channel } from '../providers/provider.js';

export type Recipient = {
  id: string;
  contact_id: string;
  channel: Channel;
  language: string;
  attempts: number;
  phone: string | null;
  opted_out: boolean;
  contact: Record<string, unknown> & { attributes: Record<string, unknown> };
  school: (Record<string, unknown> & { attributes: Record<string, unknown>; results: Record<string, unknown> }) | null;
};

export async function loadRecipients(pool: pg.Pool, deliveryIds: string[]): Promise<Recipient[]> {
  const { rows } = await pool.query<Recipient>(
    `SELECT d.id::text AS id, d.contact_id::text AS contact_id, d.channel, d.language, d.attempts, c.phone, c.opted_out,
            jsonb_build_object('name', c.name, 'role', c.role, 'language', c.language, 'channel', c.channel,
                               'schoolCode', c.school_code, 'department', c.department, 'district', c.district,
                               'grade', c.grade, 'attributes', c.attributes) AS contact,
            CASE WHEN s.code IS NULL THEN NULL ELSE jsonb_build_object(
              'code', s.code, 'name', s.name, 'department', s.department, 'district', s.district, 'zone', s.zone,
              'attributes', s.attributes,
              'results', COALESCE((SELECT jsonb_object_agg('grade' || g.grade, g.subjects)
                                   FROM (SELECT grade, jsonb_object_agg(subject, jsonb_build_object('level', level, 'score', score)) AS subjects
                                         FROM school_results WHERE school_code = s.code GROUP BY grade) g), '{}'::jsonb)
            ) END AS school
     FROM deliveries d
     JOIN contacts c ON c.id = d.contact_id
     LEFT JOIN schools s ON s.code = c.school_code
     WHERE d.id = ANY($1::bigint[])
       AND d.pending AND d.claimed_until IS NULL
       AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now())
     ORDER BY d.id`,
    [deliveryIds],
  );
  return rows;
}

export function mergeContext(recipient: Recipient, campaignName: string): MergeContext {
  return { contact: recipient.contact, school: recipient.school, campaign: { name: campaignName } };
}
