/**
 * Phone numbers as rosters hold them: distinct Paraguayan mobiles written in every common way, a few
 * numbers of Paraguayans abroad (Argentina, Spain), and a few that cannot be messaged (Asunción
 * landlines, numbers missing a digit), which an import rejects.
 */
import { parsePhone } from '../../src/contacts/phone.js';
import type { Random } from './random.js';

// libphonenumber's Paraguayan mobile ranges: 9(51|6[129]|7[1-6]|8[1-7]|9[1-5]) and six more digits.
const MOBILE_PREFIXES = ['981', '982', '983', '984', '985', '986', '971', '972', '973', '974', '975', '976', '991', '992', '993', '994', '995', '961', '962', '969', '951'];

// 7919 shares no factor with 10^6, so k -> k * 7919 mod 10^6 is one to one: neighbours in a roster get unrelated numbers.
const SCRAMBLE = 7919;
const SUBSCRIBERS = 1_000_000;

/** The i-th distinct mobile number, national form ("981123456"): distinct for i below 21 million. */
export function mobileNumber(i: number, seed: number): string {
  const prefix = MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]!;
  const k = Math.floor(i / MOBILE_PREFIXES.length);
  const subscriber = (k * SCRAMBLE + seed * 104_729) % SUBSCRIBERS;
  return prefix + String(subscriber).padStart(6, '0');
}

/** Every common way of writing a Paraguayan mobile, from its national form. */
export const WRITTEN_FORMS: Array<(national: string) => string> = [
  (n) => `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, // 0981 123 456
  (n) => `0${n.slice(0, 3)}-${n.slice(3)}`, // 0981-123456
  (n) => `0${n}`, // 0981123456
  (n) => n, // 981123456
  (n) => `595${n}`, // 595981123456
  (n) => `+595 ${n.slice(0, 3)} ${n.slice(3)}`, // +595 981 123456
  (n) => `+595${n}`, // +595981123456
  (n) => `00595${n}`, // 00595981123456
  (n) => `(0${n.slice(0, 3)}) ${n.slice(3, 6)} ${n.slice(6)}`, // (0981) 123 456
  (n) => `(0${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, // (0981) 123-456
  (n) => `0${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, // 0981-123-456
];

export type WrittenPhone = { written: string; e164: string | null; timezone: string | null };

export type PhoneMix = { landline: number; tooShort: number; abroad: number };

export const DEFAULT_PHONE_MIX: PhoneMix = { landline: 0.002, tooShort: 0.001, abroad: 0.003 };

/** The phone of the i-th contact as their roster would write it, and what it is (e164 null: rejected). */
export function writtenPhone(i: number, seed: number, rng: Random, mix: PhoneMix = DEFAULT_PHONE_MIX): WrittenPhone {
  const national = mobileNumber(i, seed);
  const roll = rng.next();
  if (roll < mix.landline) return { written: `(021) ${national.slice(3, 6)}-${national.slice(6)}`, e164: null, timezone: null };
  if (roll < mix.landline + mix.tooShort) return { written: `0${national.slice(0, 8)}`, e164: null, timezone: null };
  if (roll < mix.landline + mix.tooShort + mix.abroad) {
    const abroad = rng.chance(0.7)
      ? { written: `+54 9 11 ${national.slice(1, 5)}-${national.slice(5)}`, timezone: 'America/Argentina/Buenos_Aires' }
      : { written: `+34 6${national.slice(1, 3)} ${national.slice(3, 6)} ${national.slice(6)}`, timezone: 'Europe/Madrid' };
    const parsed = parsePhone(abroad.written);
    if (parsed.ok) return { ...abroad, e164: parsed.e164 };
  }
  return { written: rng.pick(WRITTEN_FORMS)(national), e164: `+595${national}`, timezone: null };
}
