import { describe, expect, it } from 'vitest';
import { smsMetrics, whatsappMetrics } from '../../src/content/body-metrics.js';
import { splitVerification, stepVerificationLine, verificationLine } from '../../src/content/verification-line.js';

const SPANISH = 'Estimada familia: los resultados de la evaluación de su escuela ya están disponibles.';
const GUARANI = "Maitei! Ko'ãga ikatúma rehecha mbo'ehao resultado. Aguyje.";

describe('SMS metrics of a rendered body', () => {
  it('keeps Spanish in GSM-7 (ñ, é, ¿, ¡ fit) unless á, í, ó or ú appear', () => {
    const metrics = smsMetrics('Hola María, ¿cómo está? Ñandutí');
    expect(metrics).toMatchObject({ encoding: 'UCS-2', nonGsmCharacters: ['í', 'ó', 'á'] });
    expect(smsMetrics('Estimada familia: ¡el año empieza el lunes! Ñandé').encoding).toBe('GSM-7');
  });

  it('names the Guarani letters that force UCS-2 and what that costs per segment', () => {
    const metrics = smsMetrics(GUARANI);
    expect(metrics).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70, nonGsmCharacters: ['ã', 'ú'] });
    expect(metrics.checks).toEqual([{ severity: 'info', message: 'UCS-2 (70 characters a segment instead of 160) because of ã ú' }]);
    // g̃ (g + combining tilde) counts one character for a reader, two UTF-16 units for the network.
    expect(smsMetrics('Jag̃uarete').nonGsmCharacters).toEqual(['g̃']);
  });

  it('counts the segments of long messages in each encoding', () => {
    expect(smsMetrics('a'.repeat(160)).segments).toBe(1);
    expect(smsMetrics('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(smsMetrics(`${GUARANI} `.repeat(2).trim())).toMatchObject({ encoding: 'UCS-2', segments: 2, perSegment: 67 });
    expect(smsMetrics('ã'.repeat(67 * 3 + 1)).segments).toBe(4);
  });

  it('warns past 10 segments and refuses past 1,600 characters', () => {
    const eleven = smsMetrics('a'.repeat(153 * 10 + 1));
    expect(eleven.segments).toBe(11);
    expect(eleven.checks.map((c) => c.severity)).toEqual(['warning']);
    expect(smsMetrics('a'.repeat(1601)).checks.map((c) => c.severity)).toEqual(['error', 'warning']);
  });

  it('says an image is sent on WhatsApp only', () => {
    expect(smsMetrics(SPANISH.replace(/[áéíóú]/g, 'a'), { hasMedia: true }).checks).toEqual([{ severity: 'info', message: 'the image is sent on WhatsApp only' }]);
  });
});

describe('WhatsApp checks of a rendered body', () => {
  it('flags a free body: outside the 24-hour window it needs a template', () => {
    const { checks } = whatsappMetrics(SPANISH, null, { smsFallback: true });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ severity: 'warning' });
    expect(checks[0]!.message).toMatch(/24 hours.*63016.*get the SMS instead/);
    expect(whatsappMetrics(SPANISH, null, { smsFallback: false }).checks[0]!.message).not.toMatch(/SMS instead/);
  });

  it('accepts a template whose variables are filled, and refuses empty or multi-line variables', () => {
    const template = { contentSid: `HX${'a'.repeat(32)}`, variables: { '1': 'Ana', '2': '' , '3': 'línea\notra', '4': 'a     b' } };
    const { checks } = whatsappMetrics(SPANISH, template, { smsFallback: true });
    expect(checks.map((c) => c.message)).toEqual([
      'template variable 2 is empty',
      'template variable 3 has a line break or tab, which WhatsApp templates refuse',
      'template variable 4 has more than four spaces in a row, which WhatsApp templates refuse',
    ]);
    expect(whatsappMetrics(SPANISH, { ...template, variables: { '1': 'Ana' } }, { smsFallback: true }).checks).toEqual([]);
  });

  it('refuses a free body over 1,600 characters and counts characters as a reader does', () => {
    expect(whatsappMetrics('a'.repeat(1601), null, { smsFallback: false }).checks.map((c) => c.severity)).toEqual(['warning', 'error']);
    expect(whatsappMetrics('Jag̃uarete 👍', null, { smsFallback: false }).characters).toBe(11);
  });
});

describe('the verification line', () => {
  it('is a link, a code or nothing', () => {
    expect(verificationLine('link', 'K7Q2M', 'https://campana.example.org/v')).toBe('\nVerificar: https://campana.example.org/v/K7Q2M');
    expect(verificationLine('code', 'K7Q2M', 'https://campana.example.org/v')).toBe('\nVerificar: K7Q2M');
    expect(verificationLine('none', 'K7Q2M', 'https://campana.example.org/v')).toBe('');
  });

  it('uses the code of the language the text is in, and nothing without one', () => {
    const verification = { mode: 'code' as const, codes: { es: 'AAAAA', gn: 'BBBBB' }, verifyUrl: 'https://x/v' };
    expect(stepVerificationLine(verification, 'gn')).toBe('\nVerificar: BBBBB');
    expect(stepVerificationLine(verification, 'pt')).toBe('');
    expect(stepVerificationLine(undefined, 'es')).toBe('');
  });

  it('is read back from a pasted copy, whatever its spacing and case', () => {
    expect(splitVerification('Hola Ana\nVerificar: https://campana.example.org/v/K7Q2M')).toEqual({ text: 'Hola Ana', code: 'K7Q2M', link: 'https://campana.example.org/v/K7Q2M' });
    expect(splitVerification('Hola Ana  verificar:k7q2m  ')).toEqual({ text: 'Hola Ana', code: 'K7Q2M' });
    expect(splitVerification('Hola Ana')).toEqual({ text: 'Hola Ana' });
  });
});
