import { describe, expect, it } from 'vitest';
import { csvRecords, detectDelimiter, headerFields } from '../../src/imports/csv-records.js';
import { ImportFileError } from '../../src/imports/file-error.js';

async function records(...texts: string[]) {
  const out = [];
  for await (const record of csvRecords((async function* () { yield* texts; })())) out.push(record);
  return out;
}

describe('detectDelimiter', () => {
  it.each([
    ['phone,name,role', ','],
    ['phone;name;role', ';'],
    ['"Teléfono, móvil";name;role', ';'],
    ['phone', ','],
  ])('reads %j as separated by %j', (line, delimiter) => {
    expect(detectDelimiter(line)).toBe(delimiter);
  });
});

describe('csvRecords', () => {
  it('numbers records by the line they start on, past blank lines and line breaks inside quotes', async () => {
    const result = await records('phone,name\r\n0981000001,Ana\r\n\r\n0981000002,"Rosa\nMaría"\n0981000003,Lucía\n');
    expect(result).toEqual([
      { line: 1, fields: ['phone', 'name'] },
      { line: 2, fields: ['0981000001', 'Ana'] },
      { line: 4, fields: ['0981000002', 'Rosa\nMaría'] },
      { line: 6, fields: ['0981000003', 'Lucía'] },
    ]);
  });

  it('uses the separator of the header, even when the header arrives in pieces', async () => {
    const result = await records('pho', 'ne;na', 'me\n0981000001;Peña, Ana\n');
    expect(result.map((r) => r.fields)).toEqual([['phone', 'name'], ['0981000001', 'Peña, Ana']]);
  });

  it('keeps quotes inside an unquoted field as written, and rows of any width for the caller to judge', async () => {
    const result = await records('phone,name\n0981000001,Juan "Pepe" Pérez\n0981000002,Ana,extra\n');
    expect(result.slice(1).map((r) => r.fields)).toEqual([['0981000001', 'Juan "Pepe" Pérez'], ['0981000002', 'Ana', 'extra']]);
  });

  it('stops at a quote that is never closed, naming its line', async () => {
    await expect(records('phone,name\n0981000001,Ana\n0981000002,"Rosa\n')).rejects.toThrow(ImportFileError);
    await expect(records('phone,name\n0981000001,Ana\n0981000002,"Rosa\n')).rejects.toThrow(/line \d+: a quote is opened and never closed/);
  });

  it('gives nothing for an empty text', async () => {
    expect(await records('')).toEqual([]);
  });
});

describe('headerFields', () => {
  it('reads the header from the first bytes of a file, whatever follows', async () => {
    expect(await headerFields(Buffer.from('\uFEFFphone;name;attr_turno\n0981000001;"unfinished'))).toEqual(['phone', 'name', 'attr_turno']);
  });
});
