import { describe, expect, it } from 'vitest';
import { readCells, readHeader, type ImportColumns } from '../../src/imports/csv-layout.js';

const COLUMNS: ImportColumns = { fields: [{ field: 'phone', required: true }, { field: 'name' }, { field: 'schoolCode' }], attributes: true };

function layoutOf(names: string[]) {
  const header = readHeader(names, COLUMNS);
  if (!header.ok) throw new Error(header.problems.join('; '));
  return header.layout;
}

describe('readHeader', () => {
  it.each([['schoolCode'], ['school_code'], ['School Code'], ['SCHOOL-CODE']])('knows %j as the schoolCode column', (name) => {
    expect(layoutOf(['phone', name]).fields).toEqual([[0, 'phone'], [1, 'schoolCode']]);
  });

  it('takes attr_<name> and attributes.<name> columns as attributes, and ignores columns without a name', () => {
    expect(layoutOf(['phone', 'attr_turno', 'attributes.seccion', '', 'Attributes.curso']).attributes).toEqual([[1, 'turno'], [2, 'seccion'], [4, 'curso']]);
  });

  it('lists everything wrong at once, with the columns expected', () => {
    const header = readHeader(['telefono', 'name', 'name', 'attr_1x'], COLUMNS);
    expect(header).toEqual({
      ok: false,
      problems: ['missing required column phone', 'unknown column "telefono"', 'column "name" appears twice', 'column "attr_1x": an attribute name starts with a letter and has only letters, digits, _ and -'],
      expected: { required: ['phone'], optional: ['name', 'schoolCode'], attributes: 'any further column named attr_<name> or attributes.<name>' },
    });
  });

  it('quotes a column name escaped and cut short', () => {
    const header = readHeader(['phone', `x\u0000${'y'.repeat(100)}`], COLUMNS);
    expect(!header.ok && header.problems).toEqual([`unknown column "x\\u0000${'y'.repeat(58)}…"`]);
  });

  it('refuses attribute columns where a kind has no attributes', () => {
    const header = readHeader(['phone', 'attr_turno'], { ...COLUMNS, attributes: false });
    expect(header.ok).toBe(false);
    expect(!header.ok && header.problems).toEqual(['unknown column "attr_turno"']);
  });
});

describe('readCells', () => {
  const layout = layoutOf(['phone', 'name', 'attr_turno', '']);

  it('gives the cells by field, trimmed, in NFC, leaving empty ones out', () => {
    expect(readCells(layout, [' 0981 123 456 ', 'Ña\u0303ndu', '', ''])).toEqual({ ok: true, value: { cells: { phone: '0981 123 456', name: 'Ñãndu' }, attributes: {} } });
  });

  it('calls a row with nothing in it blank', () => {
    expect(readCells(layout, ['', ' ', '', ''])).toBe('blank');
    expect(readCells(layout, [''])).toBe('blank');
  });

  it('refuses a row with another number of fields than the header', () => {
    expect(readCells(layout, ['0981123456', 'Ana'])).toEqual({ ok: false, reason: '2 fields where the header has 4' });
  });

  it('refuses a row holding a NUL character (binary, not text)', () => {
    expect(readCells(layout, ['0981123456', 'A\u0000na', '', ''])).toEqual({ ok: false, reason: 'the row has a NUL character' });
  });

  it('refuses a row with bytes that were not valid UTF-8', () => {
    expect(readCells(layout, ['0981123456', 'Pe\uFFFDa', '', ''])).toEqual({ ok: false, reason: 'the row has bytes that are not valid UTF-8 text' });
  });
});
