/**
 * Twilio's webhooks behind a reverse proxy, during an auth token rotation, and under replays: the
 * signature is checked against PUBLIC_BASE_URL whatever Host the request arrives with, the secondary
 * token is accepted while set, and the same inbound MessageSid is acted on once however often it comes.
 */
import { describe, expect, it } from 'vitest';
import { newSid, postSigned } from './webhook-client.js';
import { useTwilioHarness } from '../operations/twilio-harness.js';

const PUBLIC_BASE_URL = 'https://campana.example.org';
const SECONDARY_TOKEN = 'secondary-auth-token-0000';

describe('webhooks behind a proxy, with two tokens, under replays', () => {
  const campana = useTwilioHarness({ harness: { workers: false, env: { PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN_SECONDARY: SECONDARY_TOKEN } } });
  const { twilio } = campana;

  const status = (sid = newSid()) => ({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: twilio.accountSid, To: '+595981000001' });

  it.each([
    { case: 'the primary token over the public URL', token: () => twilio.authToken, signedUrl: undefined, expected: 204 },
    { case: 'the secondary token over the public URL', token: () => SECONDARY_TOKEN, signedUrl: undefined, expected: 204 },
    { case: 'an unknown token', token: () => 'some-other-token-00000', signedUrl: undefined, expected: 403 },
    { case: 'the primary token over the URL the proxy forwarded to', token: () => twilio.authToken, signedUrl: 'internal', expected: 403 },
  ])('answers $expected to a callback signed with $case, whatever Host and X-Forwarded-* say', async ({ token, signedUrl, expected }) => {
    const path = '/webhooks/twilio/status?d=42';
    const answer = await postSigned(campana.h, path, status(), token(), {
      ...(signedUrl ? { signedUrl: campana.h.baseUrl + path } : {}),
      headers: { host: 'campana-api.internal:3000', 'x-forwarded-host': 'evil.example.com', 'x-forwarded-proto': 'http' },
    });
    expect(answer.status).toBe(expected);
  });

  it('acts once on an inbound reply that Twilio delivers several times at once, and answers each the same', async () => {
    const { pool } = campana.h.services.db;
    const contact = await campana.h.api('POST', '/v1/contacts', { phone: '0981 555 001', role: 'parent', language: 'gn' });
    const reply = { MessageSid: newSid(), AccountSid: twilio.accountSid, From: 'whatsapp:+595981555001', To: 'whatsapp:+595210000099', Body: 'BAJA' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => postSigned(campana.h, '/webhooks/twilio/inbound', reply, twilio.authToken)));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0]!.text).toContain('<Message>');
    const { rows } = await pool.query('SELECT action FROM inbound_messages WHERE provider_sid = $1', [reply.MessageSid]);
    expect(rows).toEqual([{ action: 'opt_out' }]);
    const stored = await pool.query<{ opted_out: boolean; opt_out_source: string }>('SELECT opted_out, opt_out_source FROM contacts WHERE id = $1', [contact.body.id]);
    expect(stored.rows[0]).toEqual({ opted_out: true, opt_out_source: 'reply:whatsapp' });
  });

  it('keeps the furthest status when callbacks for one message are replayed out of order', async () => {
    const { pool } = campana.h.services.db;
    const { rows } = await pool.query<{ id: string }>(
      `WITH c AS (INSERT INTO campaigns (name, audience, schedule) VALUES ('replay', '{}', '{}') RETURNING id),
            s AS (INSERT INTO campaign_steps (campaign_id, position, send_at, content) SELECT id, 1, now(), '{}' FROM c RETURNING id, campaign_id),
            r AS (INSERT INTO step_runs (step_id, campaign_id, due_at) SELECT id, campaign_id, now() FROM s RETURNING id, step_id, campaign_id),
            k AS (INSERT INTO contacts (phone, role, language, channel) VALUES ('+595981555002', 'parent', 'es', 'sms') RETURNING id)
       INSERT INTO deliveries (campaign_id, step_id, run_id, contact_id, channel, language, status)
       SELECT r.campaign_id, r.step_id, r.id, k.id, 'sms', 'es', 'sending' FROM r, k RETURNING id::text`,
    );
    const sid = newSid();
    const path = `/webhooks/twilio/status?d=${rows[0]!.id}`;
    for (const messageStatus of ['delivered', 'sent', 'delivered', 'queued', 'sent']) {
      expect((await postSigned(campana.h, path, { ...status(sid), MessageStatus: messageStatus }, twilio.authToken)).status).toBe(204);
    }
    const delivery = await pool.query<{ status: string; sent: boolean; delivered: boolean }>('SELECT status, sent_at IS NOT NULL AS sent, delivered_at IS NOT NULL AS delivered FROM deliveries WHERE id = $1', [rows[0]!.id]);
    expect(delivery.rows[0]).toEqual({ status: 'delivered', sent: true, delivered: true });
  });
});
