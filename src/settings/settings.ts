/**
 * Deployment settings: what a ministry configures once instead of per campaign. Each key has a schema,
 * a default and a description; a stored value replaces its default whole. The prices are defaults to be
 * configured: Twilio's list prices change, and each deployment negotiates its own.
 */
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { DateTime } from 'luxon';

const LocalTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', examples: ['20:00'] });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2027-07-12'] });

export const Prices = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$', examples: ['USD'] }),
    smsPerSegment: Type.Number({ minimum: 0, maximum: 10, description: 'Price of one SMS segment' }),
    whatsappPerMessage: Type.Number({ minimum: 0, maximum: 10, description: 'Price of one WhatsApp message (utility template)' }),
  },
  { additionalProperties: false },
);
export type Prices = Static<typeof Prices>;

export const QuietHours = Type.Union(
  [Type.Object({ start: LocalTime, end: LocalTime }, { additionalProperties: false }), Type.Null()],
  { description: "Local hours in the recipient's zone when nothing is sent (start > end spans midnight); null: none" },
);
export type QuietHours = Static<typeof QuietHours>;

export const BlackoutDate = Type.Object(
  {
    from: LocalDate,
    to: Type.Optional(LocalDate),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['Vacaciones de invierno'] })),
  },
  { additionalProperties: false },
);
export type BlackoutDate = Static<typeof BlackoutDate>;

export const SETTINGS = {
  prices: {
    schema: Prices,
    // Twilio's list prices when this was written: SMS to Paraguay per segment, a WhatsApp utility template per message.
    default: { currency: 'USD', smsPerSegment: 0.045, whatsappPerMessage: 0.008 } as Prices,
    description: 'Prices for cost estimates (defaults: configure them with your contract prices)',
  },
  quietHours: {
    schema: QuietHours,
    default: { start: '20:00', end: '07:00' } as QuietHours,
    description: "Hours in the recipient's zone when a step waits for the end",
  },
  blackoutDates: {
    schema: Type.Array(BlackoutDate, { maxItems: 500 }),
    default: [] as BlackoutDate[],
    description: 'Holidays and school breaks (a date, or from-to inclusive): a step due on one moves to the next allowed day',
  },
  senderName: {
    schema: Type.String({ minLength: 1, maxLength: 200 }),
    default: 'Campana',
    description: 'Who the public archive shows as the sender of official messages',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
export type Settings = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

export const DEFAULT_SETTINGS = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].default])) as Settings;

/** Everything wrong with a value for a key, each naming where; empty when it can be stored. */
export function settingProblems(key: SettingKey, value: unknown): string[] {
  const schema = SETTINGS[key].schema;
  if (!Value.Check(schema, value)) {
    return [
      ...new Set(
        Value.Errors(schema, value)
          // "schema is false" repeats the additionalProperties error below it.
          .filter((error) => error.keyword !== 'boolean')
          .map((error) => `${key}${error.instancePath.replace(/\//g, '.')}: ${error.message}${extraDetail(error.params)}`),
      ),
    ];
  }
  if (key === 'quietHours') return quietHoursProblems(value as QuietHours);
  if (key === 'blackoutDates') return blackoutProblems(value as BlackoutDate[]);
  return [];
}

function extraDetail(params: unknown): string {
  const extra = (params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
  return extra?.length ? ` (${extra.join(', ')})` : '';
}

function quietHoursProblems(value: QuietHours): string[] {
  return value && value.start === value.end ? [`quietHours: start and end are both ${value.start}; use null for no quiet hours`] : [];
}

function blackoutProblems(value: BlackoutDate[]): string[] {
  const problems: string[] = [];
  value.forEach((entry, i) => {
    for (const field of ['from', 'to'] as const) {
      const date = entry[field];
      if (date !== undefined && !DateTime.fromISO(date).isValid) problems.push(`blackoutDates.${i}.${field}: "${date}" is not a calendar date`);
    }
    if (entry.to !== undefined && entry.to < entry.from) problems.push(`blackoutDates.${i}: to (${entry.to}) is before from (${entry.from})`);
  });
  return problems;
}
