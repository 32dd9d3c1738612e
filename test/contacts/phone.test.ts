import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../src/contacts/phone.js';

const TIGO_MOBILE = { ok: true, e164: '+595981123456', country: 'PY', kind: 'mobile' };
const LANDLINE = { ok: false, reason: 'landline: cannot receive WhatsApp or SMS' };

describe('parsePhone', () => {
  it.each([
    '0981 123 456',
    '0981-123456',
    '0981123456',
    '981123456',
    '595981123456',
    '+595 981 123456',
    '+595981123456',
    '00595981123456',
    '(0981) 123 456',
    '(0981) 123-456',
    '0981-123-456',
    '0981.123.456',
    '  0981 123 456\n',
    '0981\u00a0123\u00a0456',
    '0981\u2013123\u2013456',
    '+595 0981 123456',
    'whatsapp:+595981123456',
    'WhatsApp:+595 981 123 456',
    'whatsapp: 0981 123 456',
  ])('reads %j as the Paraguayan mobile +595981123456', (input) => {
    expect(parsePhone(input)).toEqual(TIGO_MOBILE);
  });

  it.each([
    ['+595 971 234567', '+595971234567'],
    ['0991 234 567', '+595991234567'],
    ['0961 234 567', '+595961234567'],
    ['0951 234 567', '+595951234567'],
  ])('accepts the other carrier prefix %j', (input, e164) => {
    expect(parsePhone(input)).toEqual({ ok: true, e164, country: 'PY', kind: 'mobile' });
  });

  it.each(['021 123456', '(021) 123-456', '+595 21 123456', '00595 21 123456', '021123456'])(
    'rejects the Asunción landline %j',
    (input) => {
      expect(parsePhone(input)).toEqual(LANDLINE);
    },
  );

  it.each([
    ['+54 9 11 2345-6789', { ok: true, e164: '+5491123456789', country: 'AR', kind: 'mobile' }],
    ['+55 11 91234-5678', { ok: true, e164: '+5511912345678', country: 'BR', kind: 'mobile' }],
    ['+591 71234567', { ok: true, e164: '+59171234567', country: 'BO', kind: 'mobile' }],
    ['+44 7400 123456', { ok: true, e164: '+447400123456', country: 'GB', kind: 'mobile' }],
    ['+1 212 555 0123', { ok: true, e164: '+12125550123', country: 'US', kind: 'fixed_or_mobile' }],
    ['+1 (416) 555-0199', { ok: true, e164: '+14165550199', country: 'CA', kind: 'fixed_or_mobile' }],
    ['whatsapp:+14155552671', { ok: true, e164: '+14155552671', country: 'US', kind: 'fixed_or_mobile' }],
    ['+870 773 111 632', { ok: true, e164: '+870773111632', country: '001', kind: 'mobile' }],
  ])('keeps the foreign number %j', (input, expected) => {
    expect(parsePhone(input)).toEqual(expected);
  });

  it('reads national numbers in the default country given', () => {
    expect(parsePhone('9 11 2345-6789', 'AR')).toEqual({
      ok: true,
      e164: '+5491123456789',
      country: 'AR',
      kind: 'mobile',
    });
    expect(parsePhone('11 2345-6789', 'AR')).toEqual(LANDLINE);
    expect(parsePhone('+595981123456', 'AR')).toEqual(TIGO_MOBILE);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['whatsapp:', 'empty'],
    ['abc', 'not a phone number'],
    ['0981abc123', 'not a phone number'],
    ['1-800-FLOWERS', 'not a phone number'],
    ['0981 123 456 ext 12', 'not a phone number'],
    ['tel:+595981123456', 'not a phone number'],
    ['++595981123456', 'not a phone number'],
    ['+', 'not a phone number'],
    ['12', 'too short'],
    ['0981', 'too short'],
    ['+5959', 'too short'],
    ['09811234567890', 'too long'],
    ['0981 123 4567', 'not a valid number'],
    ['+595 981 12345', 'not a valid number'],
    ['+999 123456', 'unknown country code'],
    ['0800 11 1234', 'service number: cannot receive WhatsApp or SMS'],
    ['+800 1234 5678', 'toll-free number: cannot receive WhatsApp or SMS'],
  ])('rejects %j: %s', (input, reason) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason });
  });

  it('asks for a country code when the default country is unknown', () => {
    expect(parsePhone('0981123456', 'XX')).toEqual({ ok: false, reason: 'missing country code' });
    expect(parsePhone('+595981123456', 'XX')).toEqual(TIGO_MOBILE);
  });

  it('starts every reason lowercase, without a trailing full stop', () => {
    for (const input of ['', 'abc', '12', '021 123456', '+999 1', '09811234567890']) {
      const result = parsePhone(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^[a-z].*[^.]$/);
    }
  });
});
