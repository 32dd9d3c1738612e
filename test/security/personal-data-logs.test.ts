/**
 * Phones, names, message texts and secrets never reach the logs, even at debug level: a whole flow that
 * handles contacts (creation, a lookup by phone, a send the provider refuses, an undelivered message,
 * replies from a known and an unknown number) is run with every log line captured and searched.
 */
import { describe, expect, it } from 'vitest';
import { maskPhone, scrubLogLine } from '../../src/runtime/logger.js';
import { LogCapture } from '../operations/log-capture.js';
import { waitFor } from '../support/harness.js';
import { newSid, postSigned } from './webhook-client.js';
import { useTwilioHarness } from '../operations/twilio-harness.js';

const CONTACTS = [
  { phone: '0981 600 001', name: 'Ana Benítez', role: 'parent', channel: 'whatsapp', language: 'es' },
  { phone: '0981 600 002', name: 'Rosa Ñandutí', role: 'parent', channel: 'sms', language: 'gn' },
  { phone: '0981 600 003', name: 'Pedro Giménez', role: 'parent', channel: 'sms', language: 'es' },
] as const;
const REFUSED = '+595981600002';
const UNDELIVERED = '+595981600003';
const UNKNOWN_SENDER = '+595981600099';
const SECRET_TEXT = 'texto-confidencial';

describe('personal data and secrets in logs', () => {
  const logs = new LogCapture();
  const campana = useTwilioHarness({
    twilio: {
      callbacks: { enabled: true, delayMs: 20 },
      outcome: (params) => {
        if (params.To === REFUSED) return { createError: { status: 400, code: 21211, message: `The 'To' number ${REFUSED} is not a valid phone number.` } };
        return params.To === UNDELIVERED ? { finalErrorCode: 30005 } : 'delivered';
      },
    },
    harness: { logDestination: logs, env: { LOG_LEVEL: 'debug' } },
  });
  const { twilio } = campana;

  it('runs a flow that handles contacts, with its logs captured', async () => {
    for (const contact of CONTACTS) expect((await campana.h.api('POST', '/v1/contacts', contact)).status).toBe(201);
    // The same new number written twice at once: one request may lose the race on the unique phone.
    await Promise.all([1, 2, 3].map(() => campana.h.api('POST', '/v1/contacts', { phone: '0981 600 004', role: 'parent', name: 'Carla Duarte' })));
    expect((await campana.h.api('GET', '/v1/contacts?phone=0981600001')).body.items).toHaveLength(1);

    const campaign = await campana.h.api('POST', '/v1/campaigns', {
      name: 'Aviso',
      audience: { roles: ['parent'] },
      steps: [{ sendAt: new Date(Date.now() + 1000).toISOString(), content: { es: { body: `Hola {{contact.name}}, ${SECRET_TEXT}` } } }],
    });
    expect((await campana.h.api('POST', `/v1/campaigns/${campaign.body.id}/approve`, undefined, campana.approverKey)).status).toBe(200);
    await waitFor('the step sent and its callbacks applied', async () => {
      const { body } = await campana.h.api('GET', `/v1/campaigns/${campaign.body.id}/report`);
      return body.total.failed === 1 && body.total.undelivered === 1 && body.total.read === 2;
    });

    for (const [from, text] of [[`whatsapp:+595981600001`, `STOP ${SECRET_TEXT}`], [UNKNOWN_SENDER, `hola ${SECRET_TEXT}`]] as const) {
      const answer = await postSigned(campana.h, '/webhooks/twilio/inbound', { MessageSid: newSid(), AccountSid: twilio.accountSid, From: from, To: '+595210000098', Body: text }, twilio.authToken);
      expect(answer.status).toBe(200);
    }
    campana.h.services.logger.error({ err: new Error(`provider said: The 'To' number ${REFUSED} is not valid`) }, 'a failure quoting a number');
    expect(logs.entries('send batch done').length).toBeGreaterThan(0);
    expect(logs.entries('reply received')).toHaveLength(2);
  });

  it.each([
    ...CONTACTS.flatMap((c) => {
      const digits = c.phone.replace(/\D/g, '');
      return [`+595${digits.slice(1)}`, `595${digits.slice(1)}`, digits, digits.slice(1), c.name.split(' ')[1]!];
    }),
    UNKNOWN_SENDER,
    '0981600004',
    'Duarte',
    SECRET_TEXT,
  ])('never logs %s', (personal) => {
    expect(logs.lines.length).toBeGreaterThan(20);
    expect(logs.text).not.toContain(personal);
  });

  it('never logs a secret: the auth token or an API key', () => {
    expect(logs.text).not.toContain(twilio.authToken);
    expect(logs.text).not.toContain(campana.h.adminKey);
    expect(logs.text).not.toContain(campana.h.adminKey.slice(4));
  });

  it('masks the numbers it must mention', () => {
    expect(logs.entries('reply received').map((e) => e.sender)).toEqual(['+59598****001', '+59598****099']);
    expect(logs.text).toContain(`number +59598****002 is not valid`);
    expect(logs.text).toContain('phone=[redacted]');
  });

  it.each([
    { line: 'error: The To number +595981123456 is not valid', scrubbed: 'error: The To number +59598****456 is not valid' },
    { line: '{"to":"whatsapp:+595981123456"}', scrubbed: '{"to":"whatsapp:+59598****456"}' },
    { line: 'Key (phone)=(+595981123456) already exists', scrubbed: 'Key (phone)=(+59598****456) already exists' },
    { line: '"url":"/v1/contacts?phone=0981%20123%20456&limit=5"', scrubbed: '"url":"/v1/contacts?phone=[redacted]&limit=5"' },
    { line: '"url":"/admin/queues?key=cmp_abcdef"', scrubbed: '"url":"/admin/queues?key=[redacted]"' },
    { line: 'sid SM0123456789012345678901234567890a at 2026-12-03T16:00:00.000Z, delivery 1234567', scrubbed: 'sid SM0123456789012345678901234567890a at 2026-12-03T16:00:00.000Z, delivery 1234567' },
  ])('scrubs $line', ({ line, scrubbed }) => {
    expect(scrubLogLine(line)).toBe(scrubbed);
  });

  it.each([
    { phone: '+595981123456', masked: '+59598****456' },
    { phone: 'whatsapp:+595981123456', masked: '+59598****456' },
    { phone: '+1234567', masked: '****' },
    { phone: null, masked: '' },
  ])('masks $phone as "$masked"', ({ phone, masked }) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});
