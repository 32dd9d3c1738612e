import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, detectEncoding } from '../../src/imports/encoding.js';

const GUARANI = "Mba'éichapa, Ñandutí: ã ẽ ĩ õ ũ ỹ g̃";

async function decodeAll(chunks: Uint8Array[]): Promise<string> {
  let text = '';
  for await (const piece of decodeText((async function* () { yield* chunks; })())) text += piece;
  return text;
}

/** The bytes cut into pieces of `size`, as they may arrive from the network or the database. */
function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('detectEncoding', () => {
  it('waits while every byte is ASCII, and calls an all-ASCII file UTF-8 at the end', () => {
    const ascii = Buffer.from('phone,name\n0981123456,Ana\n');
    expect(detectEncoding(ascii, false)).toBeUndefined();
    expect(detectEncoding(ascii, true)).toBe('utf-8');
  });

  it('reads a valid UTF-8 sequence as UTF-8, and a byte that cannot start one as Windows-1252', () => {
    expect(detectEncoding(Buffer.from('name\nÑandutí\n'), false)).toBe('utf-8');
    expect(detectEncoding(iconv.encode('name\nÑandutí\n', 'windows-1252'), false)).toBe('windows-1252');
  });

  it('waits for the rest of a sequence cut at the end, and calls it Windows-1252 if nothing follows', () => {
    const cut = Buffer.from('Ñ').subarray(0, 1);
    expect(detectEncoding(cut, false)).toBeUndefined();
    expect(detectEncoding(cut, true)).toBe('windows-1252');
  });

  it('refuses overlong forms and surrogates as UTF-8', () => {
    expect(detectEncoding(Uint8Array.from([0x61, 0xc0, 0xaf]), false)).toBe('windows-1252');
    expect(detectEncoding(Uint8Array.from([0xed, 0xa0, 0x80]), false)).toBe('windows-1252');
  });
});

describe('decodeText', () => {
  it.each([1, 2, 3, 7, 1000])('decodes UTF-8 cut into pieces of %i bytes, keeping Guarani letters whole', async (size) => {
    expect(await decodeAll(pieces(Buffer.from(`name\n${GUARANI}\n`), size))).toBe(`name\n${GUARANI}\n`);
  });

  it('drops a UTF-8 byte order mark', async () => {
    expect(await decodeAll([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('phone,name\n')])])).toBe('phone,name\n');
  });

  it.each([1, 5, 1000])('decodes a Windows-1252 export (pieces of %i bytes) whose first accent comes late', async (size) => {
    const text = `phone,name\n${'0981000000,Ana\n'.repeat(20)}0981000001,José Ñandutí Peña “Pepe”\n`;
    expect(await decodeAll(pieces(iconv.encode(text, 'windows-1252'), size))).toBe(text);
  });

  it('marks bytes that are not UTF-8 in a file that began as UTF-8 instead of guessing', async () => {
    const text = await decodeAll([Buffer.from('name\nÑandutí\n'), iconv.encode('Peña\n', 'windows-1252')]);
    expect(text).toBe('name\nÑandutí\nPe\uFFFDa\n');
  });

  it('gives nothing for an empty file', async () => {
    expect(await decodeAll([])).toBe('');
  });
});
