/**
 * A contact as the API takes it, and the checks that turn it into what we store: the phone in E.164, a
 * known language, a real time zone, an existing school. Shared by the single-contact API and the CSV
 * import, so both refuse the same things with the same words.
 */
import Type, { type Static } from 'typebox';
import { isValidTimezone } from '../shared/time.js';
import { parsePhone } from './phone.js';

export const CONTACT_ROLES = ['parent', 'teacher', 'director', 'supervisor', 'official'] as const;
export const CHANNELS = ['whatsapp', 'sms'] as const;

const AttributeValue = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean(), Type.Null()]);

export const ContactBody = Type.Object(
  {
    phone: Type.String({ minLength: 1, maxLength: 40, description: 'Any common way of writing it; stored as E.164', examples: ['0981 123 456'] }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Type.Union(CONTACT_ROLES.map((r) => Type.Literal(r)), { description: 'Required for a new contact' })),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$', examples: ['gn'] })),
    channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
    schoolCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()])),
    department: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{2}$' }), Type.Null()])),
    district: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{4}$' }), Type.Null()])),
    grade: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 13 }), Type.Null()])),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, examples: ['America/Asuncion'] })),
    attributes: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' }), AttributeValue, { maxProperties: 50 })),
  },
  { additionalProperties: false },
);
export type ContactBody = Static<typeof ContactBody>;

/** What is written for a contact: every field the input gave, normalised. */
export type ContactFields = Omit<ContactBody, 'phone'> & { phone: string };

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export type ContactRules = { languages: string[] };

/** Checks that need no database: phone, language, time zone. */
export function checkContact(input: ContactBody, rules: ContactRules): Checked<ContactFields> {
  const phone = parsePhone(input.phone);
  if (!phone.ok) return { ok: false, reason: `phone "${input.phone}": ${phone.reason}` };
  if (input.language !== undefined && !rules.languages.includes(input.language)) {
    return { ok: false, reason: `unknown language "${input.language}" (known: ${rules.languages.join(', ')})` };
  }
  if (input.timezone !== undefined && !isValidTimezone(input.timezone)) return { ok: false, reason: `unknown time zone "${input.timezone}"` };
  if (input.district && input.department && !input.district.startsWith(input.department)) {
    return { ok: false, reason: `district ${input.district} is not in department ${input.department}` };
  }
  return { ok: true, value: { ...input, phone: phone.e164 } };
}
