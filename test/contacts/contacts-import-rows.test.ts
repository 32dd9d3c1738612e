import { describe, expect, it } from 'vitest';
import { checkContactRow } from '../../src/contacts/contacts-import.js';

const RULES = { languages: ['es', 'gn'] };
const row = (cells: Record<string, string>, attributes: Record<string, string> = {}) => checkContactRow({ cells: { phone: '0981 123 456', role: 'parent', ...cells }, attributes }, RULES);

describe('checkContactRow', () => {
  it('stages a row as the API would store it: E.164 phone, codes with their leading zeros, fields not given left null', () => {
    expect(row({ name: 'Ñandutí Benítez', role: 'Docente', language: 'GN', channel: 'SMS', schoolCode: '100001', department: '1', district: '101', grade: '3' }, { turno: 'mañana' })).toEqual({
      ok: true,
      value: {
        phone: '+595981123456',
        name: 'Ñandutí Benítez',
        role: 'teacher',
        language: 'gn',
        channel: 'sms',
        school_code: '100001',
        department: '01',
        district: '0101',
        grade: 3,
        timezone: undefined,
        attributes: { turno: 'mañana' },
      },
    });
    expect(row({})).toMatchObject({ ok: true, value: { name: undefined, language: undefined, channel: undefined, attributes: undefined } });
  });

  it.each([
    [{ phone: '' }, 'no phone'],
    [{ role: '' }, 'no role'],
    [{ phone: '021 123456' }, 'phone "021 123456": landline: cannot receive WhatsApp or SMS'],
    [{ phone: '981 12' }, 'phone "981 12": too short'],
    [{ phone: '0981 1234' }, 'phone "0981 1234": not a valid number'],
    [{ phone: '0981-ABC-123' }, 'phone "0981-ABC-123": not a phone number'],
    [{ role: 'abuela' }, 'unknown role "abuela" (known: parent, teacher, director, supervisor, official)'],
    [{ channel: 'telegram' }, 'unknown channel "telegram" (known: whatsapp, sms)'],
    [{ language: 'pt' }, 'unknown language "pt" (known: es, gn)'],
    [{ timezone: 'America/Asuncíon' }, 'unknown time zone "America/Asuncíon"'],
    [{ grade: 'tercero' }, 'grade "tercero" is not a whole number'],
    [{ department: '11', district: '0101' }, 'district 0101 is not in department 11'],
  ])('rejects %j: %s', (cells, reason) => {
    expect(row(cells)).toEqual({ ok: false, reason });
  });

  it('holds a row to the API schema as well', () => {
    expect(row({ grade: '14' })).toEqual({ ok: false, reason: expect.stringMatching(/^grade: /) });
    expect(row({ name: 'x'.repeat(201) })).toEqual({ ok: false, reason: expect.stringMatching(/^name: /) });
  });
});
