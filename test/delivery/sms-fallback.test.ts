/**
 * WhatsApp deliveries that fail in a way SMS can get around (63016: outside the 24-hour window, told by
 * a status callback; 63003: not on WhatsApp, told by the create answer) are sent again by SMS when the
 * campaign allows it, once, and the report counts them; erasing a contact also purges those SMS copies.
 */
import { describe, expect, it } from 'vitest';
import { TEST_SMS_FROM, waitFor } from '../support/harness.js';
import { useTwilioHarness } from '../operations/twilio-harness.js';

const OUTSIDE_WINDOW = { phone: '0981 300 001', name: 'Nilda Benítez', role: 'parent', channel: 'whatsapp', language: 'es' };
const NOT_ON_WHATSAPP = { phone: '0981 300 002', name: 'Hugo Acosta', role: 'parent', channel: 'whatsapp', language: 'es' };
const ON_WHATSAPP = { phone: '0981 300 003', name: 'Rita Giménez', role: 'parent', channel: 'whatsapp', language: 'es' };
const e164 = (n: number) => `+59598130000${n}`;

describe('SMS fallback for WhatsApp deliveries that cannot arrive', () => {
  const campana = useTwilioHarness({
    twilio: {
      callbacks: { enabled: true, delayMs: 10 },
      outcome: (p) => {
        if (p.To === `whatsapp:${e164(1)}`) return { finalErrorCode: 63016, status: 'failed' };
        if (p.To === `whatsapp:${e164(2)}`) return { createError: { status: 400, code: 63003, message: 'Channel could not find To address' } };
        return 'delivered';
      },
    },
  });
  const { twilio } = campana;
  const ids: number[] = [];

  async function sendCampaign(name: string, options: Record<string, unknown>): Promise<{ id: number; report: Record<string, any> }> {
    const created = await campana.h.api('POST', '/v1/campaigns', {
      name,
      options,
      steps: [{ sendAt: new Date(Date.now() + 1000).toISOString(), content: { es: { body: `Hola {{contact.name}}, ${name}` } } }],
    });
    expect(created.status).toBe(201);
    expect((await campana.h.api('POST', `/v1/campaigns/${created.body.id}/approve`, undefined, campana.approverKey)).status).toBe(200);
    const report = await waitFor(`${name} settled`, async () => {
      const { body } = await campana.h.api('GET', `/v1/campaigns/${created.body.id}`);
      return body.status === 'completed' && (await campana.h.api('GET', `/v1/campaigns/${created.body.id}/report`)).body;
    });
    return { id: created.body.id, report };
  }

  it('sends the SMS copy to both kinds of failure, and only to them', async () => {
    for (const contact of [OUTSIDE_WINDOW, NOT_ON_WHATSAPP, ON_WHATSAPP]) ids.push((await campana.h.api('POST', '/v1/contacts', contact)).body.id);
    const { report } = await sendCampaign('aviso uno', {});

    expect(report.total).toMatchObject({ targeted: 3, smsFallbacks: 2, failed: 2, read: 1, total: 5 });
    expect(report.total.byChannel.sms).toMatchObject({ delivered: 2, total: 2 });
    const sms = twilio.messages.filter((m) => m.params.From === TEST_SMS_FROM);
    expect(sms.map((m) => m.to).sort()).toEqual([e164(1), e164(2)]);
    expect(sms.find((m) => m.to === e164(1))!.params.Body).toBe('Hola Nilda Benítez, aviso uno');
    expect(twilio.messages.filter((m) => m.to.endsWith(e164(3))).map((m) => m.to)).toEqual([`whatsapp:${e164(3)}`]);

    const { rows } = await campana.h.services.db.pool.query(
      `SELECT f.contact_id, f.channel, f.status, w.error_code AS replaced_error FROM deliveries f JOIN deliveries w ON w.id = f.fallback_for_id ORDER BY f.contact_id`,
    );
    expect(rows).toEqual([
      { contact_id: ids[0], channel: 'sms', status: 'delivered', replaced_error: 63016 },
      { contact_id: ids[1], channel: 'sms', status: 'delivered', replaced_error: 63003 },
    ]);
  });

  it('sends no SMS copy when the campaign says so', async () => {
    const before = twilio.messages.length;
    const { report } = await sendCampaign('aviso dos', { smsFallback: false });
    expect(report.total).toMatchObject({ targeted: 3, smsFallbacks: 0, failed: 2, read: 1, total: 3 });
    expect(twilio.messages.slice(before).filter((m) => m.params.From === TEST_SMS_FROM)).toEqual([]);
  });

  it('erasing a contact purges the texts of their deliveries, SMS copies included, and of no one else', async () => {
    const { status, body } = await campana.h.api('DELETE', `/v1/contacts/${ids[0]}`);
    expect(status).toBe(200);
    // Two WhatsApp deliveries and one SMS copy.
    expect(body.deliveriesPurged).toBe(3);
    const { rows } = await campana.h.services.db.pool.query<{ contact_id: number; with_body: number }>(
      'SELECT contact_id, count(body)::int AS with_body FROM deliveries GROUP BY contact_id ORDER BY contact_id',
    );
    expect(rows).toEqual([
      { contact_id: ids[0], with_body: 0 },
      { contact_id: ids[1], with_body: 3 },
      { contact_id: ids[2], with_body: 2 },
    ]);
  });
});
