/**
 * A campaign's preview, computed from what preview-data.ts read. For each step, every body it sends (each
 * text language by each channel) is rendered for a sample recipient — a real contact of the audience,
 * else a made-up one — with the verification line it will carry, and reported with its metrics and
 * checks, how many recipients get it and what that costs. Each step also says how many contacts get the
 * fallback language, and which merge fields some recipients lack (how many, and whether they are skipped).
 */
import { CODE_LENGTH } from '../archive/codes.js';
import { smsMetrics, whatsappMetrics, type SmsMetrics, type WhatsappMetrics } from '../content/body-metrics.js';
import { render, type MergeContext } from '../content/template.js';
import { verificationLine } from '../content/verification-line.js';
import type { Channel } from '../providers/provider.js';
import type { Prices } from '../settings/settings.js';
import { money, sendingCost } from './cost.js';
import type { MergeFieldWarning } from './merge-field-warnings.js';
import type { CampaignOptions, StepContent, WhatsappTemplate } from './model.js';
import type { ContactGroup, MixRow } from './preview-data.js';

export type PreviewStep = { position: number; content: StepContent; whatsappTemplate: WhatsappTemplate | null };

/** One body a step sends: the text language and channel, and the contacts (by their own language and channel) who get it. */
export type RecipientGroup = ContactGroup & { language: string; channel: Channel };

/** Whom a body is rendered for: a real contact, or a made-up one when the group has none. */
export type Sample = { contactId: number | null; context: MergeContext };

export type PreviewContext = {
  campaignName: string;
  options: CampaignOptions;
  whatsappAvailable: boolean;
  prices: Prices;
  /** Where /v/:code is served, for the verification line. */
  verifyUrl: string;
  mix: MixRow[];
  sampleFor(group: RecipientGroup): Sample;
  /** Per step and language, the merge fields some recipients lack (merge-field-warnings.ts). */
  fieldGaps: MergeFieldWarning[];
};

/** Stands for the code a step gets when it is sent: same length, so the counts are exact. */
export const SAMPLE_CODE = 'X'.repeat(CODE_LENGTH);

/**
 * The bodies a step sends. Contacts whose language the step has no text for get the fallback text; with
 * no WhatsApp sender configured, WhatsApp contacts get SMS (as the fan-out does).
 */
export function recipientGroups(step: PreviewStep, fallbackLanguage: string, audienceLanguages: string[], whatsappAvailable: boolean): RecipientGroup[] {
  const textLanguages = Object.keys(step.content);
  const untranslated = audienceLanguages.filter((language) => !textLanguages.includes(language));
  const routes: Array<[Channel, Channel[]]> = whatsappAvailable ? [['whatsapp', ['whatsapp']], ['sms', ['sms']]] : [['sms', ['whatsapp', 'sms']]];
  return textLanguages.flatMap((language) =>
    routes.map(([channel, channels]) => ({ language, channel, channels, languages: language === fallbackLanguage ? [language, ...untranslated] : [language] })),
  );
}

export function previewCampaign(steps: PreviewStep[], ctx: PreviewContext) {
  const audienceLanguages = [...new Set(ctx.mix.map((row) => row.language))];
  const stepPreviews = steps.map((step) => previewStep(step, recipientGroups(step, ctx.options.fallbackLanguage, audienceLanguages, ctx.whatsappAvailable), ctx));
  return {
    recipients: {
      total: sum(ctx.mix.map((row) => row.contacts)),
      optedOut: sum(ctx.mix.map((row) => row.optedOut)),
      byChannel: totalsBy(ctx.mix, (row) => row.channel),
      byLanguage: totalsBy(ctx.mix, (row) => row.language),
    },
    whatsappAvailable: ctx.whatsappAvailable,
    steps: stepPreviews,
    cost: { currency: ctx.prices.currency, total: money(sum(stepPreviews.map((s) => s.cost))), prices: ctx.prices },
  };
}

export type CampaignPreview = ReturnType<typeof previewCampaign>;

function previewStep(step: PreviewStep, groups: RecipientGroup[], ctx: PreviewContext) {
  const bodies = groups.map((group) => previewBody(step, group, ctx));
  const textLanguages = Object.keys(step.content);
  const mergeFields = ctx.fieldGaps
    .filter((gap) => gap.step === step.position)
    .map((gap) => ({ field: gap.field, language: gap.language, lacking: gap.missing, fallbackText: gap.fallback, skipped: gap.fallback === null ? gap.missing : 0 }));
  return {
    position: step.position,
    recipients: sum(bodies.map((b) => b.recipients)),
    fallbackLanguage: {
      language: ctx.options.fallbackLanguage,
      recipients: sum(ctx.mix.filter((row) => !textLanguages.includes(row.language)).map((row) => row.contacts)),
    },
    mergeFields,
    bodies,
    cost: money(sum(bodies.map((b) => b.cost))),
  };
}

type BodyPreview = {
  language: string;
  channel: Channel;
  recipients: number;
  sample: { contactId: number | null; synthetic: boolean; lacks: string[] };
  text: string;
  sms?: SmsMetrics;
  whatsapp?: WhatsappMetrics;
  cost: number;
};

function previewBody(step: PreviewStep, group: RecipientGroup, ctx: PreviewContext): BodyPreview {
  const recipients = sum(ctx.mix.filter((row) => group.languages.includes(row.language) && group.channels.includes(row.channel)).map((row) => row.contacts));
  const sample = ctx.sampleFor(group);
  const content = step.content[group.language]!;
  const body = renderSample(content.body, sample, ctx.options.mergeFallbacks);
  const text = body.text + verificationLine(ctx.options.verification, SAMPLE_CODE, ctx.verifyUrl);
  const common = { language: group.language, channel: group.channel, recipients, sample: { contactId: sample.contactId, synthetic: sample.contactId === null, lacks: body.lacks }, text };
  if (group.channel === 'sms') {
    const sms = smsMetrics(text, { hasMedia: content.mediaUrl !== undefined });
    return { ...common, sms, cost: sendingCost('sms', { messages: recipients, segments: recipients * sms.segments }, ctx.prices) };
  }
  const template = step.whatsappTemplate && {
    contentSid: step.whatsappTemplate.contentSid,
    variables: Object.fromEntries(Object.entries(step.whatsappTemplate.variables).map(([name, value]) => [name, renderSample(value, sample, ctx.options.mergeFallbacks).text])),
  };
  const whatsapp = whatsappMetrics(text, template, { smsFallback: ctx.options.smsFallback });
  if (template && ctx.options.verification !== 'none') whatsapp.checks.push({ severity: 'info', message: 'a template message shows only its approved text: the verification line is not added to it' });
  return { ...common, whatsapp, cost: sendingCost('whatsapp', { messages: recipients, segments: recipients }, ctx.prices) };
}

/**
 * The text as the sample recipient gets it. A field the sample lacks is shown as [field] (it is counted
 * in mergeFields); a made-up sample gets plausible values instead, since it lacks everything not made up.
 */
function renderSample(text: string, sample: Sample, fallbacks: Record<string, string>): { text: string; lacks: string[] } {
  const { missing } = render(text, sample.context, fallbacks);
  const synthetic = sample.contactId === null;
  const stand = Object.fromEntries(missing.map((field) => [field, synthetic ? exampleValue(field) : `[${field}]`]));
  return { text: render(text, sample.context, { ...stand, ...fallbacks }).text, lacks: synthetic ? [] : missing };
}

function exampleValue(field: string): string {
  if (field.endsWith('.level')) return 'III';
  if (field.endsWith('.score')) return '512';
  return `[${field}]`;
}

/**
 * A made-up recipient for groups the audience has no contact in (yet). Its values are plain GSM-7
 * letters, so that they never change the encoding the text itself gets.
 */
export function syntheticSample(language: string, channel: Channel, campaignName: string): Sample {
  return {
    contactId: null,
    context: {
      contact: { name: 'Ana Ortiz', role: 'parent', language, channel, schoolCode: '1001', department: '11', district: '1101', grade: 3, attributes: {} },
      school: { code: '1001', name: 'Escuela Basica N. 1001 San Roque', department: '11', district: '1101', zone: 'urban', attributes: {}, results: {} },
      campaign: { name: campaignName },
    },
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function totalsBy(rows: MixRow[], key: (row: MixRow) => string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const row of rows) totals[key(row)] = (totals[key(row)] ?? 0) + row.contacts;
  return totals;
}
