/**
 * Merge fields in message bodies: `{{contact.name}}`, `{{school.results.grade3.math.level}}`.
 * Deliberately not a template language: one pass, plain lookups, no logic and no re-rendering of
 * substituted values, so a contact's own data can never inject fields or code into a message.
 * Every field is checked when a campaign is written, never discovered broken at send time.
 */

const FIELD = /\{\{\s*([^{}]*?)\s*\}\}/g;

const CONTACT_FIELDS = ['name', 'role', 'language', 'channel', 'schoolCode', 'department', 'district', 'grade'];
const SCHOOL_FIELDS = ['code', 'name', 'department', 'district', 'zone'];
const ASSESSED_GRADES = [3, 6, 9, 12];
const KEY = '[A-Za-z][A-Za-z0-9_-]*';

const KNOWN_FIELD = new RegExp(
  [
    `contact\\.(${CONTACT_FIELDS.join('|')})`,
    `contact\\.attributes\\.${KEY}`,
    `school\\.(${SCHOOL_FIELDS.join('|')})`,
    `school\\.attributes\\.${KEY}`,
    `school\\.results\\.grade(${ASSESSED_GRADES.join('|')})\\.${KEY}\\.(level|score)`,
    `campaign\\.name`,
  ]
    .map((alternative) => `^${alternative}$`)
    .join('|'),
);

/** Field paths used by a text, in order of first use. */
export function fieldsIn(text: string): string[] {
  return [...new Set([...text.matchAll(FIELD)].map((m) => m[1]!))];
}

export function isKnownField(path: string): boolean {
  return KNOWN_FIELD.test(path);
}

/** What is wrong with a text's merge fields: unknown fields (typos, unsupported paths), stray braces. */
export function templateProblems(text: string): string[] {
  const problems = fieldsIn(text)
    .filter((field) => !KNOWN_FIELD.test(field))
    .map((field) => `unknown field {{${field}}}`);
  // A lone "{{" or "}}" would reach the recipient as is: as broken as an unknown field.
  if (/\{\{|\}\}/.test(text.replace(FIELD, ''))) problems.push('unmatched {{ or }}');
  return problems;
}

export type MergeContext = {
  contact: Record<string, unknown> & { attributes?: Record<string, unknown> };
  school?: (Record<string, unknown> & { attributes?: Record<string, unknown>; results?: Record<string, unknown> }) | null;
  campaign?: { name: string };
};

export type Rendered = { text: string; missing: string[] };

/**
 * Substitutes every field. A field the recipient lacks takes its fallback text when the campaign gave
 * one; otherwise it is reported in `missing` and the caller must not send the text.
 */
export function render(text: string, context: MergeContext, fallbacks: Record<string, string> = {}): Rendered {
  const missing: string[] = [];
  const out = text.replace(FIELD, (_whole, path: string) => {
    const value = lookup(context, path);
    if (value !== undefined) return value;
    const fallback = fallbacks[path];
    if (fallback !== undefined) return fallback;
    missing.push(path);
    return '';
  });
  return { text: out, missing };
}

function lookup(context: MergeContext, path: string): string | undefined {
  let value: unknown = context;
  for (const part of path.split('.')) {
    // Own properties only: "attributes.constructor" must not reach Object.prototype.
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  return value === '' ? undefined : String(value);
}
