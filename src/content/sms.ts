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

export function smsSegments(text: string): number {
  return new SegmentedMessage(text.normalize('NFC')).segmentsCount;
}
