/**
 * What a phone will show for one rendered message, and the limits it breaks.
 *  - SMS: characters, encoding (GSM-7, or UCS-2 and the characters that forced it: Guarani's nasal
 *    vowels, á, curly apostrophes), segments; Twilio refuses bodies over 1,600 characters and advises
 *    at most 10 segments.
 *  - WhatsApp: a business-initiated message outside the 24-hour window must be an approved template
 *    (a free body fails with 63016); a template's variables must be filled, and Meta refuses variables
 *    with line breaks, tabs or more than four spaces in a row.
 */
import { analyzeSms, type SmsAnalysis } from './sms.js';

export type Check = { severity: 'error' | 'warning' | 'info'; message: string };

export const LIMITS = {
  bodyCharacters: 1600,
  smsSegmentsAdvised: 10,
  templateVariableCharacters: 1024,
} as const;

export type SmsMetrics = SmsAnalysis & { checks: Check[] };

export function smsMetrics(text: string, options: { hasMedia?: boolean } = {}): SmsMetrics {
  const analysis = analyzeSms(text);
  const checks: Check[] = [];
  if (analysis.characters > LIMITS.bodyCharacters) checks.push({ severity: 'error', message: `${analysis.characters} characters: Twilio refuses SMS bodies over ${LIMITS.bodyCharacters}` });
  if (analysis.segments > LIMITS.smsSegmentsAdvised) checks.push({ severity: 'warning', message: `${analysis.segments} segments: more than ${LIMITS.smsSegmentsAdvised} are delivered less reliably, and each is paid` });
  if (analysis.encoding === 'UCS-2') {
    checks.push({ severity: 'info', message: `UCS-2 (${analysis.perSegment} characters a segment instead of ${analysis.segments > 1 ? 153 : 160}) because of ${analysis.nonGsmCharacters.join(' ')}` });
  }
  if (options.hasMedia) checks.push({ severity: 'info', message: 'the image is sent on WhatsApp only' });
  return { ...analysis, checks };
}

export type WhatsappMetrics = { characters: number; template: { contentSid: string; variables: Record<string, string> } | null; checks: Check[] };

export function whatsappMetrics(text: string, template: { contentSid: string; variables: Record<string, string> } | null, options: { smsFallback: boolean }): WhatsappMetrics {
  const characters = graphemes(text);
  const checks: Check[] = [];
  if (!template) {
    checks.push({
      severity: 'warning',
      message: `no WhatsApp template: a free body reaches only recipients who wrote in the last 24 hours; others fail with 63016${options.smsFallback ? ' and get the SMS instead' : ''}. Add whatsappTemplate (contentSid) for business-initiated messages`,
    });
    if (characters > LIMITS.bodyCharacters) checks.push({ severity: 'error', message: `${characters} characters: Twilio refuses WhatsApp bodies over ${LIMITS.bodyCharacters}` });
  }
  for (const [name, value] of Object.entries(template?.variables ?? {})) {
    const problem = variableProblem(value);
    if (problem) checks.push({ severity: 'error', message: `template variable ${name} ${problem}` });
  }
  return { characters, template, checks };
}

function variableProblem(value: string): string | null {
  if (!value.trim()) return 'is empty';
  if (/[\n\t]/.test(value)) return 'has a line break or tab, which WhatsApp templates refuse';
  if (/ {5,}/.test(value)) return 'has more than four spaces in a row, which WhatsApp templates refuse';
  if (graphemes(value) > LIMITS.templateVariableCharacters) return `is longer than ${LIMITS.templateVariableCharacters} characters`;
  return null;
}

function graphemes(text: string): number {
  return [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text.normalize('NFC'))].length;
}
