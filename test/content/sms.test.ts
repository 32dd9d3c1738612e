import { describe, expect, it } from 'vitest';
import { analyzeSms, smsSegments, type SmsAnalysis } from '../../src/content/sms.js';

const GSM = (characters: number, codeUnits: number, segments: number, perSegment: number): SmsAnalysis => ({
  encoding: 'GSM-7',
  characters,
  codeUnits,
  segments,
  perSegment,
  nonGsmCharacters: [],
});
const UCS = (
  characters: number,
  codeUnits: number,
  segments: number,
  perSegment: number,
  nonGsmCharacters: string[],
): SmsAnalysis => ({ encoding: 'UCS-2', characters, codeUnits, segments, perSegment, nonGsmCharacters });

const G_TILDE = 'g\u0303';
const EXTENSION = ['€', '[', ']', '{', '}', '^', '~', '\\', '|'];

describe('analyzeSms', () => {
  it.each<[string, string, SmsAnalysis]>([
    ['empty text (an empty segment, as Twilio counts it)', '', GSM(0, 0, 1, 160)],
    ['160 GSM characters', 'a'.repeat(160), GSM(160, 160, 1, 160)],
    ['161 GSM characters', 'a'.repeat(161), GSM(161, 161, 2, 153)],
    ['306 GSM characters', 'a'.repeat(306), GSM(306, 306, 2, 153)],
    ['307 GSM characters', 'a'.repeat(307), GSM(307, 307, 3, 153)],
    ['80 euro signs fill one part', '€'.repeat(80), GSM(80, 160, 1, 160)],
    ['81 euro signs need two', '€'.repeat(81), GSM(81, 162, 2, 153)],
    ['159 letters and a brace', 'a'.repeat(159) + '{', GSM(160, 161, 2, 153)],
    // 306 septets would fit two parts, but the escape pair cannot straddle them.
    ['an escape pair on a part boundary', 'a'.repeat(152) + '€' + 'a'.repeat(152), GSM(305, 306, 3, 153)],
    ['LF', 'a\nb', GSM(3, 3, 1, 160)],
    ['CRLF counts as two', 'a\r\nb', GSM(4, 4, 1, 160)],
    ['í and ú among letters GSM-7 keeps', '¿Año? ¡Sí! él, Ñandú', UCS(20, 20, 1, 70, ['í', 'ú'])],
    ['one ó makes Spanish UCS-2', '¿Qué pasó? no: ¿Qué tal? ¡Buen año, pingüino!', UCS(45, 45, 1, 70, ['ó'])],
    ['ñ é ¿ ¡ ü only', '¿Qué tal? ¡Buen año, pingüino! Ñandé', GSM(36, 36, 1, 160)],
    ['Guarani with an ASCII apostrophe', "Maitei! Mba'éichapa", GSM(19, 19, 1, 160)],
    ['Guarani with a curly apostrophe', 'Maitei! Mba’éichapa', UCS(19, 19, 1, 70, ['’'])],
    ['70 Guarani characters', 'ã'.repeat(70), UCS(70, 70, 1, 70, ['ã'])],
    ['71 Guarani characters', 'ã'.repeat(71), UCS(71, 71, 2, 67, ['ã'])],
    ['134 Guarani characters', 'ẽ'.repeat(134), UCS(134, 134, 2, 67, ['ẽ'])],
    ['135 Guarani characters', 'ẽ'.repeat(135), UCS(135, 135, 3, 67, ['ẽ'])],
    ['35 g̃ are 70 code units', G_TILDE.repeat(35), UCS(35, 70, 1, 70, [G_TILDE])],
    ['35 g̃ and a letter are 71', G_TILDE.repeat(35) + 'a', UCS(36, 71, 2, 67, [G_TILDE])],
    // 134 units would fit two parts, but a surrogate pair cannot straddle them.
    ['an emoji on a part boundary', 'ã'.repeat(66) + '👍' + 'ã'.repeat(66), UCS(133, 134, 3, 67, ['ã', '👍'])],
    ['extension characters count once in UCS-2', '€'.repeat(69) + 'ó', UCS(70, 70, 1, 70, ['ó'])],
    ['a non-breaking space from a word processor', 'Hola\u00a0mundo', UCS(10, 10, 1, 70, ['\u00a0'])],
    [
      'distinct non-GSM characters, in order of appearance',
      `ó ã ó ${G_TILDE} ã ʼ ’`,
      UCS(13, 14, 1, 70, ['ó', 'ã', G_TILDE, 'ʼ', '’']),
    ],
  ])('%s', (_label, text, expected) => {
    expect(analyzeSms(text)).toEqual(expected);
  });

  it.each(EXTENSION)('counts the extension character %j twice in GSM-7', (char) => {
    expect(analyzeSms(`a${char}`)).toEqual(GSM(2, 3, 1, 160));
  });

  it.each(['ñ', 'Ñ', 'é', 'É', '¿', '¡', 'ü', '@', '$', "'", '"'])('keeps %j in GSM-7', (char) => {
    expect(analyzeSms(`a${char}`).encoding).toBe('GSM-7');
  });

  it.each(['á', 'í', 'ó', 'ú', 'Á', 'Í', 'Ó', 'Ú', 'ã', 'ẽ', 'ĩ', 'õ', 'ũ', 'ỹ', 'Ã', 'Ỹ', G_TILDE, 'G\u0303', '’', 'ʼ'])(
    'switches to UCS-2 for %j and names it',
    (char) => {
      const analysis = analyzeSms(`Maitei ${char}`);
      expect(analysis.encoding).toBe('UCS-2');
      expect(analysis.nonGsmCharacters).toEqual([char]);
    },
  );

  it.each<[string, string, SmsAnalysis]>([
    ['decomposed é (e + U+0301) stays GSM-7', 'Mba\u0027e\u0301ichapa', GSM(11, 11, 1, 160)],
    ['decomposed ã counts one code unit', 'Guarani ta\u0303', UCS(10, 10, 1, 70, ['ã'])],
    ['decomposed ó counts one code unit', 'Educacio\u0301n', UCS(9, 9, 1, 70, ['ó'])],
  ])('normalises to NFC: %s', (_label, text, expected) => {
    expect(analyzeSms(text)).toEqual(expected);
  });

  it('counts a realistic bilingual reminder', () => {
    const text =
      'MEC: Mañana es la evaluación SNEPE de 3er grado. Mba’éichapa! Ñandejehechapa mbo’ehaópe. Aguyje.';
    expect(analyzeSms(text)).toEqual(UCS(96, 96, 2, 67, ['ó', '’']));
  });
});

describe('smsSegments', () => {
  it.each([
    ['', 1],
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['€'.repeat(81), 2],
    ['ã'.repeat(70), 1],
    ['ã'.repeat(71), 2],
    [G_TILDE.repeat(35) + 'a', 2],
    ['Educacio\u0301n'.padEnd(70, '.'), 1],
  ])('%j has %i segment(s)', (text, segments) => {
    expect(smsSegments(text)).toBe(segments);
    expect(smsSegments(text)).toBe(analyzeSms(text).segments);
  });
});

describe('smsSegments agrees with Twilio’s counter', () => {
  // Characters that exercise both the direct count and every reason to fall back to the library.
  const ALPHABET = ['a', 'Z', '0', ' ', '\n', 'ñ', 'é', '¿', '¡', 'ü', '€', '[', '~', 'á', 'í', 'ó', 'ú', 'ã', 'ẽ', 'ĩ', 'õ', 'ũ', 'ỹ', G_TILDE, '’', 'ʼ', "'", '“', '—', '…', '👍', '\r\n', '\u0301', 'Ω', 'ß'];

  it('on 5,000 random texts of 1 to 400 characters', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 5000; trial++) {
      const length = 1 + Math.floor(random() * 400);
      // Mostly one script per text, as real messages are, with occasional outsiders.
      const core = ALPHABET.slice(0, 5 + Math.floor(random() * ALPHABET.length));
      let text = '';
      while (text.length < length) text += core[Math.floor(random() * core.length)];
      expect(smsSegments(text), JSON.stringify(text)).toBe(analyzeSms(text).segments);
    }
  });
});
