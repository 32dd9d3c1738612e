import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsAnalysis = {
  encoding: 'GSM-7' | 'UCS-2';
  /** What a reader counts: g̃ and 👍 are one character each. */
  characters: number;
  /** What the network bills: GSM-7 septets (€ [ ] { } ^ ~ \ | take two) or UTF-16 units (g̃ and 👍 take two). */
  codeUnits: number;
  segments: number;
  /** Code units that fit in each part: 160/70 alone, 153/67 once a header links the parts. */
  perSegment: number;
  nonGsmCharacters: string[];
};

const CAPACITY = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const;

export function analyzeSms(text: string): SmsAnalysis {
  // The counter treats a letter plus a combining accent as non-GSM, so a decomposed "é" typed on some phones
  // would make the whole SMS UCS-2 while its precomposed twin fits GSM-7.
  const message = new SegmentedMessage(text.normalize('NFC'));
  const encoding = message.encodingName;
  const segments = message.segmentsCount;
  return {
    encoding,
    characters: message.graphemes.length,
    codeUnits: message.encodedChars.reduce((total, char) => total + char.codeUnits.length, 0),
    segments,
    perSegment: segments > 1 ? CAPACITY[encoding].multipart : CAPACITY[encoding].single,
    nonGsmCharacters: [...new Set(message.getNonGsmCharacters())],
  };
}

// GSM 03.38 basic set: one septet each, one character per code unit.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/**
 * Segments Twilio bills for a text. Counted on every SMS sent, so the common cases are counted directly:
 * text of GSM-7 basic characters only (160, then 153 per part), or UCS-2 text in which every code unit is
 * a character of its own (70, then 67 per part) — Spanish and Guarani with precomposed letters, ’ and ʼ.
 * Anything that packs differently (GSM extension characters, combining marks such as the tilde of g̃,
 * emoji, CR LF) goes to Twilio's own counter. test/content/sms.test.ts checks both ways agree.
 */
export function smsSegments(text: string): number {
  const nfc = text.normalize('NFC');
  if (nfc.length === 0) return 1;
  let gsm = true;
  for (let i = 0; i < nfc.length; i++) {
    const code = nfc.charCodeAt(i);
    if (gsm && GSM_BASIC.has(nfc[i]!)) continue;
    gsm = false;
    if (!isStandaloneUnit(code)) return new SegmentedMessage(nfc).segmentsCount;
  }
  const [single, multipart] = gsm ? [160, 153] : [70, 67];
  return nfc.length <= single ? 1 : Math.ceil(nfc.length / multipart);
}

/** A UTF-16 code unit that is a whole character by itself: Latin, Latin Extended Additional, punctuation. */
function isStandaloneUnit(code: number): boolean {
  return (code >= 0x20 && code < 0x0300 && code !== 0x7f) || code === 0x0a || (code >= 0x1e00 && code <= 0x1eff) || (code >= 0x2010 && code <= 0x2027) || (code >= 0x2030 && code <= 0x205e);
}
