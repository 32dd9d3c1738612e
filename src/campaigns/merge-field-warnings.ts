/**
 * What POST /v1/campaigns warns about: for each step and language, the merge fields some recipients of
 * that text lack, and how many lack each. At send time those recipients get the field's fallback text
 * when the campaign gives one (options.mergeFallbacks), and are skipped otherwise (missing_field).
 * A text reaches the recipients the fan-out gives it to: contacts in its language, and for the fallback
 * language also everyone whose language the step has no text for. Template variables reach WhatsApp
 * recipients only.
 */
import type { AudienceFilter } from '../audiences/filter.js';
import { countMissingFields, type FieldQuestion } from '../audiences/missing-fields.js';
import { audienceOf } from '../audiences/resolve.js';
import { fieldsIn } from '../content/template.js';
import type { Database } from '../runtime/database.js';
import { sql, type Sql } from '../shared/sql.js';
import type { CampaignOptions, StepContent, WhatsappTemplate } from './model.js';

export type MergeFieldWarning = { step: number; language: string; field: string; missing: number; fallback: string | null };

export type CampaignToWarnAbout = {
  audience: AudienceFilter;
  segmentId: number | null;
  options: Pick<CampaignOptions, 'fallbackLanguage' | 'mergeFallbacks'>;
  steps: Array<{ position: number; content: StepContent; whatsappTemplate: WhatsappTemplate | null }>;
};

export async function mergeFieldWarnings(db: Pick<Database, 'pool' | 'prisma'>, campaign: CampaignToWarnAbout): Promise<MergeFieldWarning[]> {
  const asked: Array<FieldQuestion & { step: number; language: string }> = [];
  for (const step of campaign.steps) {
    const languages = Object.keys(step.content);
    const templateFields = new Set(Object.values(step.whatsappTemplate?.variables ?? {}).flatMap(fieldsIn));
    for (const [language, text] of Object.entries(step.content)) {
      const recipients: Sql =
        language === campaign.options.fallbackLanguage ? sql`(c.language = ${language} OR NOT c.language = ANY(${languages}::text[]))` : sql`c.language = ${language}`;
      const bodyFields = fieldsIn(text.body);
      for (const field of bodyFields) asked.push({ step: step.position, language, field, among: recipients });
      for (const field of templateFields) {
        if (!bodyFields.includes(field)) asked.push({ step: step.position, language, field, among: sql`${recipients} AND c.channel = 'whatsapp'` });
      }
    }
  }
  // Resolved first, whatever is asked: an unknown segment is a 400 here, before the campaign is stored.
  const audience = await audienceOf(db.prisma, { filter: campaign.audience, ...(campaign.segmentId ? { segmentId: campaign.segmentId } : {}) });
  if (asked.length === 0) return [];
  const missing = await countMissingFields(db.pool, audience, asked);
  return asked
    .map(({ step, language, field }, i) => ({ step, language, field, missing: missing[i]!, fallback: campaign.options.mergeFallbacks[field] ?? null }))
    .filter((warning) => warning.missing > 0);
}
