import { describe, expect, it } from 'vitest';
import { departmentCode, districtCode } from '../../src/schools/area-codes.js';
import { ASSESSED_GRADES, checkResultRow } from '../../src/schools/results-import.js';
import { checkSchoolRow } from '../../src/schools/schools-import.js';

describe('area codes', () => {
  it('gives back the leading zero spreadsheets drop, and leaves anything else as written', () => {
    expect([departmentCode('1'), departmentCode('11'), departmentCode('x')]).toEqual(['01', '11', 'x']);
    expect([districtCode('101'), districtCode('1104'), districtCode('11')]).toEqual(['0101', '1104', '11']);
  });
});

describe('checkSchoolRow', () => {
  const school = { code: '100001', name: 'Escuela Básica Nº 4972 San Felipe', department: '11', district: '1104' };

  it('stages a school, reading the ministry’s zone words', () => {
    expect(checkSchoolRow({ cells: { ...school, zone: 'URBANA' }, attributes: { sector: 'oficial' } })).toEqual({ ok: true, value: { ...school, zone: 'urban', attributes: { sector: 'oficial' } } });
    expect(checkSchoolRow({ cells: { ...school, department: '1', district: '104' }, attributes: {} })).toEqual({ ok: true, value: { ...school, department: '01', district: '0104', zone: null, attributes: null } });
  });

  it.each([
    [{ name: '' }, 'no name'],
    [{ zone: 'suburbana' }, 'unknown zone "suburbana" (known: urban, rural)'],
    [{ district: '0104' }, 'district 0104 is not in department 11'],
    [{ code: 'a b' }, expect.stringMatching(/^code: /)],
  ])('rejects %j', (cells, reason) => {
    const { name, ...rest } = { ...school, ...cells };
    expect(checkSchoolRow({ cells: name ? { ...rest, name } : rest, attributes: {} })).toEqual({ ok: false, reason });
  });
});

describe('checkResultRow', () => {
  const result = { schoolCode: '100001', grade: '3', subject: 'Math', level: 'iii', score: '487,5' };

  it('knows the assessed grades from the merge-field rules', () => {
    expect(ASSESSED_GRADES).toEqual([3, 6, 9, 12]);
  });

  it('stages a result: subject in lower case, level in capitals, a decimal comma read', () => {
    expect(checkResultRow({ cells: result, attributes: {} })).toEqual({ ok: true, value: { school_code: '100001', grade: 3, subject: 'math', level: 'III', score: 487.5 } });
  });

  it.each([
    [{ grade: '5' }, 'grade 5 is not an assessed grade (3, 6, 9, 12)'],
    [{ grade: 'III' }, 'grade "III" is not a whole number'],
    [{ subject: 'ciencias naturales' }, 'subject "ciencias naturales" is not a plain word (a letter, then up to 39 letters, digits, _ or -)'],
    [{ level: 'V' }, 'unknown level "V" (known: I, II, III, IV)'],
    [{ score: 'alto' }, 'score "alto" is not a number from 0 to 1000'],
    [{ score: '1200' }, 'score "1200" is not a number from 0 to 1000'],
    [{ level: '' }, 'no level'],
    [{ schoolCode: '100 001' }, 'school code "100 001" is not an institution code (1 to 32 letters, digits, ., _, / or -)'],
  ])('rejects %j: %s', (cells, reason) => {
    const merged: Record<string, string> = { ...result, ...cells };
    if (merged.level === '') delete merged.level;
    expect(checkResultRow({ cells: merged, attributes: {} })).toEqual({ ok: false, reason });
  });
});
