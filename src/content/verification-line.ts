/**
 * The last line of an official message, which lets anyone check a copy against the public archive:
 * `Verificar: https://<base>/v/K7Q2M` (link) or `Verificar: K7Q2M` (code). Written and read back here
 * only, so that a pasted copy is checked the same way with or without it.
 */
export const VERIFICATION_MODES = ['none', 'code', 'link'] as const;
export type VerificationMode = (typeof VERIFICATION_MODES)[number];

const LABEL = 'Verificar:';

/** What a step's messages end with: the mode, each language's archive code, and where /v/:code is served. */
export type StepVerification = { mode: VerificationMode; codes: Record<string, string>; verifyUrl: string };

export function verificationLine(mode: VerificationMode, code: string, verifyUrl: string): string {
  if (mode === 'none') return '';
  return `\n${LABEL} ${mode === 'link' ? `${verifyUrl}/${code}` : code}`;
}

/** The line for a message in `language`; none when the step has no archive code for it (yet). */
export function stepVerificationLine(verification: StepVerification | undefined, language: string): string {
  const code = verification?.codes[language];
  return verification && code ? verificationLine(verification.mode, code, verification.verifyUrl) : '';
}

/** A pasted text without its verification line, and the code and link the line carried. */
export function splitVerification(text: string): { text: string; code?: string; link?: string } {
  const match = /\s*Verificar:\s*(\S+)\s*$/iu.exec(text);
  if (!match) return { text };
  const token = match[1]!;
  const isLink = /^https?:\/\//i.test(token);
  const code = (isLink ? token.replace(/\/+$/, '').split('/').pop()! : token).toUpperCase();
  return { text: text.slice(0, match.index), code, ...(isLink ? { link: token } : {}) };
}
