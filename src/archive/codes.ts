/**
 * Verification codes of archived messages: five characters, short enough to read out or type from a
 * phone, drawn from an alphabet without look-alikes (no 0/O, 1/I/L, U/V), all in SMS's GSM-7 alphabet.
 * 29^5 ≈ 20 million codes; a collision is detected by the unique index and drawn again.
 */
import { randomInt } from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const CODE_LENGTH = 5;

export function newCode(random: (max: number) => number = randomInt): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[random(CODE_ALPHABET.length)]).join('');
}

/** The code as typed (any case, spaces around), or null when it cannot be one. */
export function parseCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}
