import { describe, expect, it } from 'vitest';
import {
  classifyReply,
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  type ReplyAction,
} from '../../src/optouts/keywords.js';

describe('classifyReply', () => {
  it.each(OPT_OUT_KEYWORDS)('treats %s as opt-out', (word) => {
    expect(classifyReply(word)).toBe('opt_out');
    expect(classifyReply(word.toLowerCase())).toBe('opt_out');
  });

  it.each(OPT_IN_KEYWORDS)('treats %s as opt-in', (word) => {
    expect(classifyReply(word)).toBe('opt_in');
    expect(classifyReply(word.toLowerCase())).toBe('opt_in');
  });

  it.each(HELP_KEYWORDS)('treats %s as help', (word) => {
    expect(classifyReply(word)).toBe('help');
    expect(classifyReply(word.toLowerCase())).toBe('help');
  });

  it('keeps the three lists disjoint', () => {
    const all = [...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS, ...HELP_KEYWORDS];
    expect(new Set(all).size).toBe(all.length);
  });

  const cases: Array<[string, string, ReplyAction]> = [
    ['mixed case', 'StOp', 'opt_out'],
    ['title case Spanish', 'Baja', 'opt_out'],
    ['accent on a keyword', 'Bája', 'opt_out'],
    ['Sí, precomposed', 'S\u00ed', 'opt_in'],
    ['SÍ, precomposed capital', 'S\u00cd', 'opt_in'],
    ['sí, decomposed (NFD)', 'si\u0301', 'opt_in'],
    ['SÍ, decomposed capital', 'SI\u0301', 'opt_in'],
    ['plain si', 'si', 'opt_in'],
    ['leading and trailing spaces', '  stop  ', 'opt_out'],
    ['trailing newline', 'STOP\n', 'opt_out'],
    ['CRLF and tabs', '\t\r\nbaja\r\n', 'opt_out'],
    ['non-breaking spaces', '\u00a0BAJA\u00a0', 'opt_out'],
    ['narrow no-break and ideographic space', '\u202fstop\u3000', 'opt_out'],
    ['zero-width space and BOM', '\ufeff\u200bstop\u200b', 'opt_out'],
    ['trailing full stop', 'Stop.', 'opt_out'],
    ['Spanish exclamation marks', '¡BAJA!', 'opt_out'],
    ['curly quotes', '\u201cstop\u201d', 'opt_out'],
    ['straight quotes and ellipsis', '"salir"...', 'opt_out'],
    ['Spanish question marks', '¿Ayuda?', 'help'],
    ['parentheses', '(info)', 'help'],
    ['punctuation and spaces mixed', ' ¡¡ Alta !! ', 'opt_in'],
    ['ALTO means stop in Spanish', 'alto', 'opt_out'],
    ['CANCELAR', 'Cancelar', 'opt_out'],
    ['opt out spelled as one word', 'optout', 'opt_out'],
    ['unstop', 'Unstop', 'opt_in'],
  ];
  it.each(cases)('%s: %j', (_label, text, expected) => {
    expect(classifyReply(text)).toBe(expected);
  });

  const notKeywords: Array<[string, string]> = [
    ['a sentence containing stop', 'stop sending me this'],
    ['keyword after other words', 'please stop'],
    ['two keywords', 'stop stop'],
    ['keyword with a following word', 'baja por favor'],
    ['"no" is not an opt-out', 'no'],
    ['nahániri (no in Guarani)', 'nahániri'],
    ['thanks', 'gracias'],
    ['empty', ''],
    ['only whitespace', ' \n\t '],
    ['only punctuation', '?!.'],
    ['spaced inside', 'S T O P'],
    ['split with a space', 'opt out'],
    ['dotted inside', 'S.T.O.P'],
    ['keyword as prefix', 'stopped'],
    ['keyword as suffix', 'nonstop'],
    ['sí with a comma and more', 'Sí, gracias'],
    ['emoji after the keyword', 'stop 👍'],
    ['digits', '0'],
  ];
  it.each(notKeywords)('%s: %j is none', (_label, text) => {
    expect(classifyReply(text)).toBe('none');
  });
});
