/**
 * Previewing a stored campaign or a draft body not stored yet: read the audience (preview-data.ts), then
 * compute the preview (preview.ts), with each step's computed time and what moved it.
 */
import type { Services } from '../runtime/services.js';
import { loadSettings } from '../settings/settings-store.js';
import type { Settings } from '../settings/settings.js';
import { notFound } from '../http/errors.js';
import type { AudienceFilter } from '../audiences/filter.js';
import { audienceOf } from '../audiences/resolve.js';
import { campaignRules, checkCampaignRequest, type CampaignBody } from './campaign-input.js';
import { findCampaign } from './campaigns-store.js';
import type { CampaignOptions, StepContent, WhatsappTemplate } from './model.js';
import { mergeFieldWarnings } from './merge-field-warnings.js';
import { audienceMix, mergeContexts, sampleContactIds, type ContactGroup } from './preview-data.js';
import { previewCampaign, recipientGroups, syntheticSample, type PreviewStep, type Sample } from './preview.js';
import type { CampaignSchedule } from './schedule.js';
import { explainStoredTime, timingJson, type StepTime } from './step-timing.js';

type PreviewInput = { name: string; audience: AudienceFilter; segmentId: number | null; options: CampaignOptions; steps: Array<PreviewStep & { time: StepTime }> };

export async function previewStoredCampaign(services: Services, id: number) {
  const campaign = await findCampaign(services.db.prisma, id);
  if (!campaign) throw notFound(`campaign ${id}`);
  const settings = await loadSettings(services.db.pool);
  const input: PreviewInput = {
    name: campaign.name,
    audience: campaign.audience as AudienceFilter,
    segmentId: campaign.segmentId,
    options: campaign.options as CampaignOptions,
    steps: campaign.steps.map((step) => ({
      position: step.position,
      content: step.content as StepContent,
      whatsappTemplate: step.whatsappTemplate as WhatsappTemplate | null,
      time: explainStoredTime(step, campaign.schedule as CampaignSchedule, settings),
    })),
  };
  return { campaign: { id: campaign.id, name: campaign.name, status: campaign.status, version: campaign.version }, ...(await preview(services, input, settings)) };
}

/** A draft body is checked as at creation (400 naming each problem) and previewed without being stored. */
export async function previewDraft(services: Services, body: CampaignBody) {
  const settings = await loadSettings(services.db.pool);
  const checked = checkCampaignRequest(body, campaignRules(services.config, settings));
  const input: PreviewInput = { ...checked, steps: checked.steps.map((step) => ({ ...step, time: step })) };
  return { campaign: { id: null, name: checked.name, status: null, version: null }, ...(await preview(services, input, settings)) };
}

async function preview(services: Services, input: PreviewInput, settings: Settings) {
  const { pool, prisma } = services.db;
  const where = await audienceOf(prisma, { filter: input.audience, ...(input.segmentId !== null ? { segmentId: input.segmentId } : {}) });
  const whatsappAvailable = services.provider.senderFor('whatsapp') !== null;
  const mix = await audienceMix(pool, where);

  const audienceLanguages = [...new Set(mix.map((row) => row.language))];
  const groups = uniqueBy(
    input.steps.flatMap((step) => recipientGroups(step, input.options.fallbackLanguage, audienceLanguages, whatsappAvailable)),
    contactsKey,
  );
  const sampleIds = await sampleContactIds(pool, where, groups);
  const contexts = await mergeContexts(prisma, sampleIds.filter((id): id is number => id !== undefined), input.name);
  const samples = new Map<string, Sample>(
    groups.map((group, i) => {
      const id = sampleIds[i];
      const context = id === undefined ? undefined : contexts.get(id);
      return [contactsKey(group), context ? { contactId: id!, context } : syntheticSample(group.language, group.channel, input.name)];
    }),
  );
  const result = previewCampaign(input.steps, {
    campaignName: input.name,
    options: input.options,
    whatsappAvailable,
    prices: settings.prices,
    verifyUrl: `${services.config.publicBaseUrl}/v`,
    mix,
    sampleFor: (group) => samples.get(contactsKey(group))!,
    fieldGaps: await mergeFieldWarnings(services.db, input),
  });
  return { ...result, steps: result.steps.map((step, i) => ({ ...timingJson(input.steps[i]!.time), ...step })) };
}

function contactsKey(group: ContactGroup): string {
  return `${group.languages.join(',')}/${group.channels.join(',')}`;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}
