/**
 * A campaign as the API takes it, and every check that can be made before anything is stored: each step
 * timed once, texts in known languages, merge fields that exist, times that exist in their zone. A
 * problem here is a 400 naming the step and field, never a failure discovered at send time.
 */
import Type, { type Static } from 'typebox';
import { AudienceFilter } from '../audiences/filter.js';
import { isKnownField, templateProblems } from '../content/template.js';
import { VERIFICATION_MODES } from '../content/verification-line.js';
import { badRequest } from '../http/errors.js';
import type { Config } from '../runtime/config.js';
import { isValidTimezone } from '../shared/time.js';
import { DEFAULT_OPTIONS, WHATSAPP_CAP_POLICIES, type CampaignOptions, type StepContent, type WhatsappTemplate } from './model.js';
import { ScheduleError, type CampaignSchedule } from './schedule.js';
import { timeStep, type StepTime } from './step-timing.js';
import type { TimingRules } from './timing-rules.js';

const Text = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 1600, description: 'Message text; merge fields like {{contact.name}}' }),
    mediaUrl: Type.Optional(Type.String({ pattern: '^https?://\\S+$', maxLength: 1000, description: 'An image (e.g. an infographic) sent with WhatsApp messages' })),
  },
  { additionalProperties: false },
);

export const StepBody = Type.Object(
  {
    week: Type.Optional(Type.Integer({ minimum: 1, maximum: 104, description: 'Sent on startDate + (week-1)*7 days at sendTime' })),
    sendAt: Type.Optional(Type.String({ format: 'date-time', description: 'An explicit instant, with offset' })),
    content: Type.Record(Type.String({ pattern: '^[a-z]{2,3}$' }), Text, { minProperties: 1, description: 'Text per language; the fallback language (es) is required' }),
    whatsappTemplate: Type.Optional(
      Type.Object(
        {
          contentSid: Type.String({ pattern: '^HX[0-9a-fA-F]{32}$', description: 'Twilio Content template SID' }),
          variables: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,32}$' }), Type.String({ maxLength: 1000 }), { maxProperties: 100 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ScheduleBody = Type.Object(
  {
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, examples: ['America/Asuncion'] })),
    startDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2027-03-01'], description: 'Needed by steps given as a week' })),
    sendTime: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', examples: ['09:00'], description: 'Needed by steps given as a week' })),
    recipientLocalTime: Type.Optional(Type.Boolean({ description: "Send at sendTime in each recipient's own time zone" })),
  },
  { additionalProperties: false },
);

export const OptionsBody = Type.Object(
  {
    fallbackLanguage: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
    smsFallback: Type.Optional(Type.Boolean({ description: 'Send by SMS when WhatsApp cannot reach a recipient' })),
    mergeFallbacks: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 200 }), { maxProperties: 100, description: 'Text for a merge field a recipient lacks' })),
    verification: Type.Optional(
      Type.Enum(VERIFICATION_MODES, { description: 'End messages with a link to (link) or the code of (code) their entry in the public archive; default none' }),
    ),
    whatsappCapPolicy: Type.Optional(
      Type.Enum(WHATSAPP_CAP_POLICIES, { description: "When the WhatsApp sender's daily cap of unique recipients is reached: wait for the rolling window (defer, default) or send by SMS (sms)" }),
    ),
  },
  { additionalProperties: false },
);

const Name = Type.String({ minLength: 1, maxLength: 200 });
const SegmentId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Steps = Type.Array(StepBody, { minItems: 1, maxItems: 104 });

export const CampaignBody = Type.Object(
  {
    name: Name,
    audience: Type.Optional(AudienceFilter),
    segmentId: Type.Optional(SegmentId),
    schedule: Type.Optional(ScheduleBody),
    steps: Steps,
    options: Type.Optional(OptionsBody),
  },
  { additionalProperties: false },
);
export type CampaignBody = Static<typeof CampaignBody>;

/**
 * An edit: the parts given replace the stored ones, except schedule and options, which are merged into
 * them. `steps` is every step in order; steps already sent must be given as they are.
 */
export const CampaignPatch = Type.Object(
  {
    name: Type.Optional(Name),
    audience: Type.Optional(AudienceFilter),
    segmentId: Type.Optional(Type.Union([SegmentId, Type.Null()])),
    schedule: Type.Optional(ScheduleBody),
    steps: Type.Optional(Steps),
    options: Type.Optional(OptionsBody),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ schedule: { sendTime: '10:00' }, options: { verification: 'link' } }] },
);
export type CampaignPatch = Static<typeof CampaignPatch>;

/** A four-week campaign, as the OpenAPI description shows it. */
export const CAMPAIGN_EXAMPLE: CampaignBody = {
  name: 'Resultados SNEPE 2027',
  audience: { roles: ['parent'], departments: ['11'], grades: [3, 6] },
  schedule: { timezone: 'America/Asuncion', startDate: '2027-03-01', sendTime: '09:00' },
  options: { verification: 'link' },
  steps: [1, 2, 3, 4].map((week) => ({ week, content: { es: { body: `Semana ${week}: hola {{contact.name}}, novedades de {{school.name}}.` }, gn: { body: `Arapokõindy ${week}: Maitei {{contact.name}}!` } } })),
};

export type CheckedStep = StepTime & {
  position: number;
  week: number | null;
  /** The explicit instant asked for (null for a step given as a week). */
  requestedSendAt: Date | null;
  content: StepContent;
  whatsappTemplate: WhatsappTemplate | null;
};

export type CheckedCampaign = {
  name: string;
  audience: Static<typeof AudienceFilter>;
  segmentId: number | null;
  schedule: CampaignSchedule;
  options: CampaignOptions;
  steps: CheckedStep[];
};

export class CampaignInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`);
  }
}

/** What a campaign is checked against: the deployment's languages, default zone and timing rules. */
export type CampaignRules = { languages: string[]; defaultTimezone: string; timing: TimingRules };

export function campaignRules(config: Pick<Config, 'languages' | 'defaultTimezone'>, timing: TimingRules): CampaignRules {
  return { languages: config.languages, defaultTimezone: config.defaultTimezone, timing };
}

export function checkCampaign(body: CampaignBody, rules: CampaignRules): CheckedCampaign {
  const problems: string[] = [];
  const options: CampaignOptions = {
    fallbackLanguage: body.options?.fallbackLanguage ?? rules.languages[0] ?? 'es',
    smsFallback: body.options?.smsFallback ?? DEFAULT_OPTIONS.smsFallback,
    mergeFallbacks: body.options?.mergeFallbacks ?? {},
    verification: body.options?.verification ?? DEFAULT_OPTIONS.verification,
    whatsappCapPolicy: body.options?.whatsappCapPolicy ?? DEFAULT_OPTIONS.whatsappCapPolicy,
  };
  if (!rules.languages.includes(options.fallbackLanguage)) problems.push(`options.fallbackLanguage: unknown language "${options.fallbackLanguage}"`);
  for (const field of Object.keys(options.mergeFallbacks)) {
    if (!isKnownField(field)) problems.push(`options.mergeFallbacks: unknown field "${field}"`);
  }

  // Without week-based steps a schedule is only the zone the campaign is planned in.
  const schedule: CampaignSchedule = { ...body.schedule, timezone: body.schedule?.timezone ?? rules.defaultTimezone };
  if (!isValidTimezone(schedule.timezone)) problems.push(`schedule.timezone: unknown time zone "${schedule.timezone}"`);

  const steps: CheckedStep[] = [];
  body.steps.forEach((step, i) => {
    const where = `steps[${i}]`;
    if ((step.week === undefined) === (step.sendAt === undefined)) {
      problems.push(`${where}: give either week or sendAt`);
      return;
    }
    if (step.week !== undefined && !(body.schedule?.startDate && body.schedule.sendTime)) {
      problems.push(`${where}: a step given by week needs schedule (startDate, sendTime)`);
      return;
    }
    if (!step.content[options.fallbackLanguage]) problems.push(`${where}.content: the text in ${options.fallbackLanguage} (the fallback language) is required`);
    for (const [language, text] of Object.entries(step.content)) {
      if (!rules.languages.includes(language)) problems.push(`${where}.content.${language}: unknown language (known: ${rules.languages.join(', ')})`);
      if (!text.body.trim()) problems.push(`${where}.content.${language}.body: is empty`);
      for (const problem of templateProblems(text.body)) problems.push(`${where}.content.${language}.body: ${problem}`);
    }
    for (const [name, template] of Object.entries(step.whatsappTemplate?.variables ?? {})) {
      for (const problem of templateProblems(template)) problems.push(`${where}.whatsappTemplate.variables.${name}: ${problem}`);
    }
    if (!isValidTimezone(schedule.timezone)) return;
    try {
      const time = timeStep(schedule, step.week !== undefined ? { week: step.week } : { sendAt: step.sendAt! }, rules.timing);
      steps.push({
        ...time,
        position: i + 1,
        week: step.week ?? null,
        requestedSendAt: step.sendAt !== undefined ? time.requestedAt : null,
        content: step.content,
        whatsappTemplate: step.whatsappTemplate ?? null,
      });
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      problems.push(`${where}: ${err.message}`);
    }
  });

  if (problems.length) throw new CampaignInputError(problems);
  return { name: body.name, audience: body.audience ?? {}, segmentId: body.segmentId ?? null, schedule, options, steps };
}

/** checkCampaign for a request: every problem in one 400. */
export function checkCampaignRequest(body: CampaignBody, rules: CampaignRules): CheckedCampaign {
  try {
    return checkCampaign(body, rules);
  } catch (err) {
    if (err instanceof CampaignInputError) throw badRequest(err.message, err.problems);
    throw err;
  }
}
