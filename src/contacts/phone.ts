import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type NumberType,
} from 'libphonenumber-js/max';

export type PhoneResult =
  | { ok: true; e164: string; country: string; kind: 'mobile' | 'fixed_or_mobile' | 'other' }
  | { ok: false; reason: string };

// libphonenumber-js stops reading at the first letter ("1-800-FLOWERS" parses as +5951800), so letters
// and anything else unusual are refused before it sees the text.
const PHONE_CHARACTERS = /^[\d\s+().\/\p{Pd}]+$/u;

const LENGTH_REASONS = {
  NOT_A_NUMBER: 'not a phone number',
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'wrong number of digits',
} as const;

// Numbers that exist but never reach a handset; sending to them wastes money and fails silently.
const UNREACHABLE: Partial<Record<Exclude<NumberType, undefined>, string>> = {
  FIXED_LINE: 'landline: cannot receive WhatsApp or SMS',
  TOLL_FREE: 'toll-free number: cannot receive WhatsApp or SMS',
  PREMIUM_RATE: 'premium-rate number: cannot receive WhatsApp or SMS',
  SHARED_COST: 'shared-cost number: cannot receive WhatsApp or SMS',
  UAN: 'service number: cannot receive WhatsApp or SMS',
  VOICEMAIL: 'voicemail number: cannot receive WhatsApp or SMS',
};

export function parsePhone(input: string, defaultCountry = 'PY'): PhoneResult {
  // Twilio writes inbound WhatsApp senders as "whatsapp:+595981123456".
  const text = input.trim().replace(/^whatsapp:/i, '').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (!PHONE_CHARACTERS.test(text)) return { ok: false, reason: 'not a phone number' };

  const country = isSupportedCountry(defaultCountry) ? defaultCountry : undefined;
  const lengthProblem = validatePhoneNumberLength(text, country);
  if (lengthProblem === 'INVALID_COUNTRY') {
    return { ok: false, reason: /^(\+|00)/.test(text) ? 'unknown country code' : 'missing country code' };
  }
  if (lengthProblem) return { ok: false, reason: LENGTH_REASONS[lengthProblem] };

  const phone = parsePhoneNumberFromString(text, country);
  if (!phone?.isValid()) return { ok: false, reason: 'not a valid number' };

  const type = phone.getType();
  const unreachable = type && UNREACHABLE[type];
  if (unreachable) return { ok: false, reason: unreachable };

  // US and Canadian numbers do not say whether they are mobile (FIXED_LINE_OR_MOBILE); we try them.
  const kind = type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE_OR_MOBILE' ? 'fixed_or_mobile' : 'other';
  // Satellite and global networks (+870, +881) belong to no country; "001" is libphonenumber's code for them.
  return { ok: true, e164: phone.number, country: phone.country ?? '001', kind };
}
