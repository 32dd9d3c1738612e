import { describe, expect, it } from 'vitest';
import { matchOfficial, normalizeText, verifyText, wordDiff } from '../../src/archive/verify.js';

const VERIFY_URL = 'https://campana.example.org/v';
const RESULTS = { code: 'K7Q2M', body: "Estimada familia de {{contact.name}}: los resultados de {{school.name}} ya están disponibles. Mba'éichapa!" };
const MEETING = { code: 'H3N8P', body: 'Reunión de padres el lunes 3 de marzo a las 18:00 en la escuela.' };
const ARCHIVE = [RESULTS, MEETING];

describe('checking a pasted text against the official messages', () => {
  it('recognises an exact copy, each merge field standing for the recipient’s own text', () => {
    const verdict = verifyText("Estimada familia de Ana Ortiz: los resultados de Escuela Básica Nº 4972 ya están disponibles. Mba'éichapa!", ARCHIVE, VERIFY_URL);
    expect(verdict).toEqual({ official: true, entry: RESULTS, fields: { 'contact.name': 'Ana Ortiz', 'school.name': 'Escuela Básica Nº 4972' } });
  });

  it('recognises it with its verification line, and whatever phones did to spaces, line breaks and apostrophes', () => {
    const forwarded = 'Reunión de padres el lunes 3 de marzo\n a las 18:00   en la escuela.\nVerificar: https://campana.example.org/v/H3N8P';
    expect(verifyText(forwarded, ARCHIVE, VERIFY_URL)).toMatchObject({ official: true, entry: MEETING });
    const curly = 'Estimada familia de Ana: los resultados de San Roque ya están disponibles. Mba’éichapa!';
    expect(verifyText(curly, ARCHIVE, VERIFY_URL)).toMatchObject({ official: true, entry: RESULTS });
  });

  it('shows where an altered copy differs from the closest official message', () => {
    const altered = 'Reunión de padres el lunes 3 de marzo a las 18:00 en la escuela. Traer 50.000 Gs. para la cuota.';
    const verdict = verifyText(altered, ARCHIVE, VERIFY_URL);
    expect(verdict).toMatchObject({ official: false, reason: 'no_match' });
    if (verdict.official) throw new Error('unreachable');
    expect(verdict.closest!.entry).toBe(MEETING);
    expect(verdict.closest!.diff.filter((part) => part.kind === 'added').map((part) => part.text.trim())).toEqual(['Traer 50.000 Gs. para la cuota.']);
    expect(verdict.closest!.similarity).toBeGreaterThan(0.5);
  });

  it('catches one changed word in a copy that carries the right code', () => {
    const verdict = verifyText('Reunión de padres el martes 3 de marzo a las 18:00 en la escuela.\nVerificar: H3N8P', ARCHIVE, VERIFY_URL);
    expect(verdict).toMatchObject({ official: false, reason: 'differs', code: 'H3N8P' });
    if (verdict.official) throw new Error('unreachable');
    expect(verdict.closest!.diff.filter((part) => part.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'lunes' },
      { kind: 'added', text: 'martes' },
    ]);
  });

  it('refuses a link to another site and a code that is no message’s, even with an official text', () => {
    const text = `${MEETING.body}\nVerificar: https://campana-verifica.example.com/v/H3N8P`;
    expect(verifyText(text, ARCHIVE, VERIFY_URL)).toMatchObject({ official: false, reason: 'foreign_link' });
    expect(verifyText(`${MEETING.body}\nVerificar: ZZZZZ`, ARCHIVE, VERIFY_URL)).toMatchObject({ official: false, reason: 'unknown_code', code: 'ZZZZZ' });
  });

  it('finds no closest message for an unrelated text, and refuses an empty one', () => {
    expect(verifyText('Se suspenden las clases por tormenta', ARCHIVE, VERIFY_URL)).toEqual({ official: false, reason: 'no_match', closest: null });
    expect(verifyText('  \n ', ARCHIVE, VERIFY_URL)).toEqual({ official: false, reason: 'empty', closest: null });
  });

  it('does not let a whole paragraph hide in a merge field', () => {
    const stuffed = `Estimada familia de ${'x '.repeat(150)}: los resultados de San Roque ya están disponibles. Mba'éichapa!`;
    expect(matchOfficial(RESULTS.body, stuffed)).toBeNull();
  });
});

describe('the pieces of verification', () => {
  it('evens out what copy and paste change, and nothing else', () => {
    expect(normalizeText('  «Hola»\u200B  ‘Ana’\r\n\tMbaʼe  ')).toBe(`"Hola" 'Ana' Mba'e`);
    expect(normalizeText('Ñande')).toBe('Ñande');
  });

  it('shows a merge field and what stands in its place as one part', () => {
    expect(wordDiff('Hola {{contact.name}}, bienvenida.', 'Hola Ana, bienvenida.').diff).toEqual([
      { kind: 'same', text: 'Hola ' },
      { kind: 'field', text: 'Ana', official: '{{contact.name}}' },
      { kind: 'same', text: ', bienvenida.' },
    ]);
  });
});
