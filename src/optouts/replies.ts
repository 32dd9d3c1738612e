import type { OptInKeyword, OptOutKeyword, ReplyAction } from './keywords.js';

const SUBSCRIBE: OptInKeyword = 'ALTA';
const UNSUBSCRIBE: OptOutKeyword = 'BAJA';

type ReplyTexts = Record<Exclude<ReplyAction, 'none'>, string>;

// Spanish naming the ministry needs "ó", which makes the SMS UCS-2 (70 characters), so confirmations
// stay under 70; help says more and takes two parts.
const SPANISH: ReplyTexts = {
  opt_out: `Ministerio de Educación: no recibirás más mensajes. Para volver: ${SUBSCRIBE}`,
  opt_in: `Ministerio de Educación: ¡bienvenido/a de nuevo! Para salir: ${UNSUBSCRIBE}`,
  help:
    'Mensajes oficiales del Ministerio de Educación y Ciencias de Paraguay sobre evaluaciones escolares. ' +
    `Para salir, responde ${UNSUBSCRIBE}.`,
};

// Draft by a non-speaker: a native Guarani speaker must review these before they reach parents.
const GUARANI: ReplyTexts = {
  opt_out: `MEC: nderehupytyvéima marandu. Rehupyty jey hag̃ua, embohovái ${SUBSCRIBE}.`,
  opt_in: `MEC: eguahẽ porã jey. Nderehupytyséiramo marandu, embohovái ${UNSUBSCRIBE}.`,
  help:
    "Ministerio de Educación y Ciencias (MEC) Paraguay marandu, mbo'ehao ñehesa'ỹijo rehegua. " +
    `Nderehupytyséiramo, embohovái ${UNSUBSCRIBE}.`,
};

// Contacts may carry "gn-PY" or the ISO 639-2/3 codes (grn, gug) as well as "gn".
const GUARANI_CODES = new Set(['gn', 'grn', 'gug']);

export function replyText(action: Exclude<ReplyAction, 'none'>, language: string): string {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  const texts = GUARANI_CODES.has(primary) ? GUARANI : SPANISH;
  return texts[action];
}
