import { describe, expect, it } from 'vitest';
import { diffFields } from '../../src/audit/field-diff.js';

describe('what changed between two versions of a record', () => {
  it('names each changed value by its path, nested objects and lists of objects followed down; an added item is one change', () => {
    const before = { name: 'Resultados', audience: { departments: ['11'] }, steps: [{ week: 1, content: { es: { body: 'Hola' }, gn: { body: 'Maitei' } } }] };
    const after = { name: 'Resultados', audience: { departments: ['11', '00'] }, steps: [{ week: 1, content: { es: { body: 'Hola!' }, gn: { body: 'Maitei' } } }, { week: 2, content: { es: { body: 'Semana 2' } } }] };
    expect(diffFields(before, after)).toEqual({
      'audience.departments': { from: ['11'], to: ['11', '00'] },
      'steps.0.content.es.body': { from: 'Hola', to: 'Hola!' },
      'steps.1': { from: null, to: { week: 2, content: { es: { body: 'Semana 2' } } } },
    });
  });

  it('finds nothing when only the order of keys differs (as JSONB stores them)', () => {
    expect(diffFields({ a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [1, 2] }, a: 1 })).toEqual({});
  });

  it('shows removed fields as going to null, and creation as a diff from nothing', () => {
    expect(diffFields({ smsFallback: true, verification: 'link' }, { smsFallback: true })).toEqual({ verification: { from: 'link', to: null } });
    expect(diffFields({}, { name: 'x', departments: [] })).toEqual({ name: { from: null, to: 'x' }, departments: { from: null, to: [] } });
  });
});
