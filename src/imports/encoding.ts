/**
 * The text encoding of an uploaded CSV, and decoding it chunk by chunk. Spreadsheets export UTF-8 (often
 * with a byte order mark) or Windows-1252 ("ANSI", Latin-1 plus a few letters), so a file whose bytes are
 * not valid UTF-8 is read as Windows-1252.
 *
 * The choice is made at the first byte that is not ASCII: a file that starts a valid UTF-8 sequence there
 * is UTF-8, any other is Windows-1252. Up to that byte both encodings read the same, so a file is never
 * held whole to decide; a UTF-8 file damaged further on gets U+FFFD in the damaged rows, which the import
 * rejects, instead of turning every accent of the file into mojibake.
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1252';

/** The character a UTF-8 decoder puts where bytes were not valid UTF-8. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * The encoding of a file starting with `bytes`, or undefined when every byte so far is ASCII or the
 * first non-ASCII sequence is cut off at the end (`final`: no more bytes will come).
 */
export function detectEncoding(bytes: Uint8Array, final: boolean): TextEncoding | undefined {
  const start = firstNonAscii(bytes);
  if (start === -1) return final ? 'utf-8' : undefined;
  const length = utf8SequenceLength(bytes, start);
  if (length === 'cut') return final ? 'windows-1252' : undefined;
  return length === 'invalid' ? 'windows-1252' : 'utf-8';
}

/** Decodes a stream of byte chunks into text, choosing the encoding as described above. */
export async function* decodeText(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let pending: Uint8Array = new Uint8Array(0);
  let decoder: ((bytes: Uint8Array) => string) | undefined;
  let finish: () => string = () => '';
  for await (const chunk of chunks) {
    if (decoder) {
      yield decoder(chunk);
      continue;
    }
    pending = concat(pending, chunk);
    const encoding = detectEncoding(pending, false);
    if (!encoding) {
      // Pass the ASCII prefix on at once; keep only a cut sequence at the end.
      const asciiEnd = firstNonAscii(pending);
      const cut = asciiEnd === -1 ? pending.length : asciiEnd;
      if (cut > 0) yield Buffer.from(pending.subarray(0, cut)).toString('latin1');
      pending = pending.subarray(cut);
      continue;
    }
    [decoder, finish] = streamingDecoder(encoding);
    yield decoder(pending);
  }
  if (!decoder) {
    if (pending.length === 0) return;
    [decoder, finish] = streamingDecoder(detectEncoding(pending, true)!);
    yield decoder(pending);
  }
  yield finish();
}

function streamingDecoder(encoding: TextEncoding): [(bytes: Uint8Array) => string, () => string] {
  if (encoding === 'utf-8') {
    // Strips a byte order mark and keeps a sequence cut between two chunks for the next one.
    const utf8 = new TextDecoder('utf-8');
    return [(bytes) => utf8.decode(bytes, { stream: true }), () => utf8.decode()];
  }
  const cp1252 = iconv.getDecoder('windows-1252');
  return [(bytes) => cp1252.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), () => cp1252.end() ?? ''];
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i;
  return -1;
}

/** Whether a valid UTF-8 sequence starts at `start` (RFC 3629: no overlong forms, no surrogates). */
function utf8SequenceLength(bytes: Uint8Array, start: number): number | 'invalid' | 'cut' {
  const lead = bytes[start]!;
  // Allowed range of the second byte for each lead byte; later bytes are always 0x80..0xBF.
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 'invalid';
  for (let i = 1; i < length; i++) {
    const byte = bytes[start + i];
    if (byte === undefined) return 'cut';
    const [min, max] = i === 1 ? [low, high] : [0x80, 0xbf];
    if (byte < min || byte > max) return 'invalid';
  }
  return length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
