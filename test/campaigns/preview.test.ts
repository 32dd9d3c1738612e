import { describe, expect, it } from 'vitest';
import { money, sendingCost } from '../../src/campaigns/cost.js';
import type { CampaignOptions } from '../../src/campaigns/model.js';
import type { MixRow } from '../../src/campaigns/preview-data.js';
import { previewCampaign, recipientGroups, syntheticSample, type PreviewContext, type PreviewStep, type RecipientGroup } from '../../src/campaigns/preview.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';

const LEVEL = 'school.results.grade3.math.level';
const PRICES = DEFAULT_SETTINGS.prices;
const OPTIONS: CampaignOptions = { fallbackLanguage: 'es', smsFallback: true, mergeFallbacks: {}, verification: 'none', whatsappCapPolicy: 'defer' };

const MIX: MixRow[] = [
  { language: 'es', channel: 'whatsapp', contacts: 10, optedOut: 1 },
  { language: 'es', channel: 'sms', contacts: 5, optedOut: 0 },
  { language: 'gn', channel: 'whatsapp', contacts: 3, optedOut: 0 },
  { language: 'gn', channel: 'sms', contacts: 4, optedOut: 0 },
  // A language the steps have no text for: these get Spanish.
  { language: 'pt', channel: 'sms', contacts: 2, optedOut: 0 },
];

const RESULTS: PreviewStep = {
  position: 1,
  content: {
    es: { body: `Hola {{contact.name}}: su escuela tiene nivel {{${LEVEL}}} en matematica.` },
    gn: { body: "Maitei {{contact.name}}! Ko'ãga rehecha mbo'ehao resultado." },
  },
  whatsappTemplate: null,
};
const TEMPLATED: PreviewStep = {
  position: 2,
  content: { es: { body: 'Semana 2: reunion de padres el lunes.' } },
  whatsappTemplate: { contentSid: `HX${'1'.repeat(32)}`, variables: { '1': '{{contact.name}}' } },
};

/** Ana (es, sms) is a real contact without a school; everyone else is made up. */
function context(overrides: Partial<PreviewContext> = {}): PreviewContext {
  return {
    campaignName: 'Resultados 2027',
    options: OPTIONS,
    whatsappAvailable: true,
    prices: PRICES,
    verifyUrl: 'https://campana.example.org/v',
    mix: MIX,
    sampleFor: (group: RecipientGroup) =>
      group.language === 'es' && group.channel === 'sms'
        ? { contactId: 7, context: { contact: { name: 'Ana', attributes: {} }, school: null, campaign: { name: 'Resultados 2027' } } }
        : syntheticSample(group.language, group.channel, 'Resultados 2027'),
    fieldGaps: [{ step: 1, language: 'es', field: LEVEL, missing: 5, fallback: null }],
    ...overrides,
  };
}

describe('recipient groups of a step', () => {
  it('sends each text language by each channel, the fallback text also to languages without one', () => {
    expect(recipientGroups(RESULTS, 'es', ['es', 'gn', 'pt'], true)).toEqual([
      { language: 'es', channel: 'whatsapp', channels: ['whatsapp'], languages: ['es', 'pt'] },
      { language: 'es', channel: 'sms', channels: ['sms'], languages: ['es', 'pt'] },
      { language: 'gn', channel: 'whatsapp', channels: ['whatsapp'], languages: ['gn'] },
      { language: 'gn', channel: 'sms', channels: ['sms'], languages: ['gn'] },
    ]);
  });

  it('sends WhatsApp contacts by SMS when no WhatsApp sender is configured', () => {
    expect(recipientGroups(TEMPLATED, 'es', ['es'], false)).toEqual([{ language: 'es', channel: 'sms', channels: ['whatsapp', 'sms'], languages: ['es'] }]);
  });
});

describe('a campaign preview', () => {
  const preview = previewCampaign([RESULTS, TEMPLATED], context());
  const [results, templated] = preview.steps;
  const body = (language: string, channel: string) => results!.bodies.find((b) => b.language === language && b.channel === channel)!;

  it('counts the audience, without the opted out, by channel and language', () => {
    expect(preview.recipients).toEqual({ total: 24, optedOut: 1, byChannel: { whatsapp: 13, sms: 11 }, byLanguage: { es: 15, gn: 7, pt: 2 } });
  });

  it('says how many get the fallback language because theirs has no text', () => {
    expect(results!.fallbackLanguage).toEqual({ language: 'es', recipients: 2 });
    expect(templated!.fallbackLanguage).toEqual({ language: 'es', recipients: 9 }); // gn and pt
    expect(body('es', 'sms').recipients).toBe(7);
    expect(templated!.bodies.find((b) => b.channel === 'sms')!.recipients).toBe(11);
  });

  it('renders for a real sample and shows the field it lacks', () => {
    const es = body('es', 'sms');
    expect(es.sample).toEqual({ contactId: 7, synthetic: false, lacks: [LEVEL] });
    expect(es.text).toBe(`Hola Ana: su escuela tiene nivel [${LEVEL}] en matematica.`);
    expect(es.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('renders a made-up sample where the audience has no contact', () => {
    expect(body('es', 'whatsapp').sample).toEqual({ contactId: null, synthetic: true, lacks: [] });
    expect(body('es', 'whatsapp').text).toBe('Hola Ana Ortiz: su escuela tiene nivel III en matematica.');
    expect(body('gn', 'sms').sms).toMatchObject({ encoding: 'UCS-2', nonGsmCharacters: ['ã'] });
  });

  it('lists the merge fields some recipients lack, and how many of them will be skipped', () => {
    expect(results!.mergeFields).toEqual([{ field: LEVEL, language: 'es', lacking: 5, fallbackText: null, skipped: 5 }]);
    expect(templated!.mergeFields).toEqual([]);
    const withFallback = previewCampaign([RESULTS], context({ fieldGaps: [{ step: 1, language: 'es', field: LEVEL, missing: 5, fallback: 'pendiente' }] }));
    expect(withFallback.steps[0]!.mergeFields).toEqual([{ field: LEVEL, language: 'es', lacking: 5, fallbackText: 'pendiente', skipped: 0 }]);
  });

  it('flags WhatsApp without a template and fills a template’s variables', () => {
    expect(body('es', 'whatsapp').whatsapp!.checks.map((c) => c.severity)).toEqual(['warning']);
    const whatsapp = templated!.bodies.find((b) => b.channel === 'whatsapp')!.whatsapp!;
    expect(whatsapp.template).toEqual({ contentSid: `HX${'1'.repeat(32)}`, variables: { '1': 'Ana Ortiz' } });
    expect(whatsapp.checks).toEqual([]);
  });

  it('estimates the cost: SMS recipients × segments × price, WhatsApp recipients × price', () => {
    // Step 1: 13 WhatsApp messages, 7 Spanish SMS of 1 segment, 4 Guarani SMS of 1 segment.
    expect(results!.cost).toBe(money(13 * 0.008 + 11 * 0.045));
    expect(templated!.cost).toBe(money(13 * 0.008 + 11 * 0.045));
    expect(preview.cost).toEqual({ currency: 'USD', total: money(2 * (13 * 0.008 + 11 * 0.045)), prices: PRICES });
  });

  it('counts the verification line in the text, segments and cost', () => {
    const body140 = { position: 1, content: { es: { body: 'a'.repeat(140) } }, whatsappTemplate: null };
    const plain = previewCampaign([body140], context({ mix: [{ language: 'es', channel: 'sms', contacts: 1000, optedOut: 0 }] }));
    const linked = previewCampaign([body140], context({ mix: [{ language: 'es', channel: 'sms', contacts: 1000, optedOut: 0 }], options: { ...OPTIONS, verification: 'link' } }));
    const sms = (p: typeof plain) => p.steps[0]!.bodies.find((b) => b.channel === 'sms')!;
    expect(sms(plain).sms!.segments).toBe(1);
    expect(sms(linked).text.endsWith('\nVerificar: https://campana.example.org/v/XXXXX')).toBe(true);
    expect(sms(linked).sms!.segments).toBe(2);
    expect(linked.cost.total).toBe(money(1000 * 2 * 0.045));
  });
});

describe('sending costs', () => {
  it('charges SMS by the segment and WhatsApp by the message', () => {
    expect(sendingCost('sms', { messages: 10, segments: 30 }, PRICES)).toBeCloseTo(1.35);
    expect(sendingCost('whatsapp', { messages: 10, segments: 10 }, PRICES)).toBeCloseTo(0.08);
    expect(money(1_000_000 * 0.045 * 2)).toBe(90_000);
    expect(money(0.123456)).toBe(0.1235);
  });
});
