import { describe, expect, it } from 'vitest';
import { analyzeSms } from '../../src/content/sms.js';
import { classifyReply } from '../../src/optouts/keywords.js';
import { replyText } from '../../src/optouts/replies.js';

const actions = ['opt_out', 'opt_in', 'help'] as const;

describe('replyText', () => {
  it.each([
    ['opt_out', 'es', 'Ministerio de Educación: no recibirás más mensajes. Para volver: ALTA'],
    ['opt_in', 'es', 'Ministerio de Educación: ¡bienvenido/a de nuevo! Para salir: BAJA'],
    [
      'help',
      'es',
      'Mensajes oficiales del Ministerio de Educación y Ciencias de Paraguay sobre evaluaciones escolares. Para salir, responde BAJA.',
    ],
    ['opt_out', 'gn', 'MEC: nderehupytyvéima marandu. Rehupyty jey hag\u0303ua, embohovái ALTA.'],
    ['opt_in', 'gn', 'MEC: eguahẽ porã jey. Nderehupytyséiramo marandu, embohovái BAJA.'],
    [
      'help',
      'gn',
      "Ministerio de Educación y Ciencias (MEC) Paraguay marandu, mbo'ehao ñehesa'ỹijo rehegua. Nderehupytyséiramo, embohovái BAJA.",
    ],
  ] as const)('%s in %s', (action, language, expected) => {
    expect(replyText(action, language)).toBe(expected);
  });

  it.each(actions)('%s tells the reader the keyword that undoes or stops it, in both languages', (action) => {
    const keyword = action === 'opt_out' ? 'ALTA' : 'BAJA';
    const undo = action === 'opt_out' ? 'opt_in' : 'opt_out';
    for (const language of ['es', 'gn']) {
      const text = replyText(action, language);
      expect(text).toContain(keyword);
      expect(classifyReply(keyword)).toBe(undo);
    }
  });

  it.each([
    ['opt_out', 'es', 1],
    ['opt_in', 'es', 1],
    ['help', 'es', 2],
    ['opt_out', 'gn', 1],
    ['opt_in', 'gn', 1],
    ['help', 'gn', 2],
  ] as const)('%s in %s fits in %i SMS segment(s)', (action, language, segments) => {
    expect(analyzeSms(replyText(action, language)).segments).toBe(segments);
  });

  it.each(actions)('%s is stored in NFC so that segment counts do not depend on the editor', (action) => {
    for (const language of ['es', 'gn']) {
      const text = replyText(action, language);
      expect(text).toBe(text.normalize('NFC'));
    }
  });

  it.each([
    ['gn-PY', 'gn'],
    ['GN', 'gn'],
    [' gn ', 'gn'],
    ['gn_PY', 'gn'],
    ['grn', 'gn'],
    ['gug', 'gn'],
    ['es-PY', 'es'],
    ['ES', 'es'],
    ['en', 'es'],
    ['pt-BR', 'es'],
    ['', 'es'],
    ['gnx', 'es'],
  ])('language %j answers as %s', (language, expected) => {
    for (const action of actions) {
      expect(replyText(action, language)).toBe(replyText(action, expected));
    }
  });

  it('has distinct Spanish and Guarani texts', () => {
    for (const action of actions) {
      expect(replyText(action, 'gn')).not.toBe(replyText(action, 'es'));
    }
  });
});
