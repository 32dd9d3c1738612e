// Twilio only honours the English words, and only on SMS; the Spanish ones and every WhatsApp reply are ours.
export const OPT_OUT_KEYWORDS = [
  'STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT',
  'BAJA', 'SALIR', 'PARAR', 'CANCELAR', 'ALTO',
] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES', 'ALTA', 'SI'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO', 'AYUDA'] as const;

export type OptOutKeyword = (typeof OPT_OUT_KEYWORDS)[number];
export type OptInKeyword = (typeof OPT_IN_KEYWORDS)[number];
export type HelpKeyword = (typeof HELP_KEYWORDS)[number];
export type ReplyAction = 'opt_out' | 'opt_in' | 'help' | 'none';

const ACTION_BY_KEYWORD = new Map<string, ReplyAction>([
  ...OPT_OUT_KEYWORDS.map((word) => [word, 'opt_out'] as const),
  ...OPT_IN_KEYWORDS.map((word) => [word, 'opt_in'] as const),
  ...HELP_KEYWORDS.map((word) => [word, 'help'] as const),
]);

// Phones add quotes, "¡…!", trailing newlines, NBSP and invisible format characters (ZWSP, BOM, LRM).
const EDGE_NOISE = /^[\s\p{P}\p{Cf}]+|[\s\p{P}\p{Cf}]+$/gu;

// NFD splits "Sí" into "Si" + a combining accent, so dropping marks makes "SÍ", "sí" and "SI" equal.
function keywordOf(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(EDGE_NOISE, '').toUpperCase();
}

// Only a message that is nothing but the keyword counts: "stop sending me this" is a conversation, not a command.
export function classifyReply(text: string): ReplyAction {
  return ACTION_BY_KEYWORD.get(keywordOf(text)) ?? 'none';
}
