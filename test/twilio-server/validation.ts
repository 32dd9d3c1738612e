/**
 * Checks requests against the parameters of Twilio's OpenAPI description (messages-api.json), plus the
 * rules Twilio enforces that the description only states in prose. Unknown parameter names are refused,
 * which Twilio does not do: a typo in our own requests must fail a test instead of being ignored.
 */
import { readFileSync } from 'node:fs';

type Schema = {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
};

export type MessagesApi = {
  paths: { list: string; instance: string };
  pathParameters: Record<string, Schema>;
  create: { required: string[]; properties: Record<string, Schema> };
  list: { query: Record<string, Schema>; envelope: string[] };
  message: { properties: Record<string, Schema> };
};

export const messagesApi: MessagesApi = JSON.parse(readFileSync(new URL('./messages-api.json', import.meta.url), 'utf8'));

export type TwilioError = { status: number; code: number; message: string };

export function twilioError(status: number, code: number, message: string): TwilioError {
  return { status, code, message };
}

/** Form parameters; only the array-typed ones (MediaUrl, PersistentAction) may repeat. */
export type Params = Record<string, string | string[]>;

type Check = (name: string, value: string) => TwilioError | null;

// Twilio answers a malformed value with a code specific to the parameter where it has one.
const INVALID_CODE: Record<string, number> = { StatusCallback: 21609, MediaUrl: 21620, ContentSid: 21655, ContentVariables: 21656 };

function invalid(name: string, value: string, why: string): TwilioError {
  return twilioError(400, INVALID_CODE[name] ?? 20001, `Invalid ${name}: ${JSON.stringify(value)} ${why}`);
}

function compile(schema: Schema): Check {
  const checks: Check[] = [];
  const regex = schema.pattern ? new RegExp(schema.pattern) : null;
  const allowed = schema.enum ? new Set(schema.enum) : null;
  switch (schema.type) {
    case 'integer':
      checks.push((n, v) => (/^-?\d+$/.test(v) ? null : invalid(n, v, 'is not an integer')));
      break;
    case 'number':
      checks.push((n, v) => (v.trim() !== '' && Number.isFinite(Number(v)) ? null : invalid(n, v, 'is not a number')));
      break;
    case 'boolean':
      checks.push((n, v) => (/^(true|false)$/i.test(v) ? null : invalid(n, v, 'is not true or false')));
      break;
  }
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    const min = schema.minimum ?? -Infinity;
    const max = schema.maximum ?? Infinity;
    checks.push((n, v) => (Number(v) >= min && Number(v) <= max ? null : invalid(n, v, `is not within ${min}..${max}`)));
  }
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? Infinity;
    checks.push((n, v) => (v.length >= min && v.length <= max ? null : invalid(n, v, `must be ${min} to ${max} characters`)));
  }
  if (regex) checks.push((n, v) => (regex.test(v) ? null : invalid(n, v, `does not match ${schema.pattern}`)));
  if (allowed) checks.push((n, v) => (allowed.has(v) ? null : invalid(n, v, `is not one of ${schema.enum!.join(', ')}`)));
  // Twilio's MediaUrl says format "uri" with ignoreFormat for client-side checks; Twilio itself refuses bad ones.
  if (schema.format === 'uri') checks.push((n, v) => (isHttpUrl(v) ? null : invalid(n, v, 'is not an absolute http(s) URL')));
  if (schema.format === 'date-time') checks.push((n, v) => (parseDate(v) !== null ? null : invalid(n, v, 'is not a date')));
  // phone-number formats are checked below with Twilio's own codes (21211, 21212).
  return (name, value) => {
    for (const check of checks) {
      const error = check(name, value);
      if (error) return error;
    }
    return null;
  };
}

type Compiled = Map<string, { array: boolean; check: Check }>;

function compileAll(properties: Record<string, Schema>): Compiled {
  const out: Compiled = new Map();
  for (const [name, schema] of Object.entries(properties)) {
    const array = schema.type === 'array';
    out.set(name, { array, check: compile(array ? (schema.items ?? {}) : schema) });
  }
  return out;
}

const CREATE = compileAll(messagesApi.create.properties);
const LIST = compileAll(messagesApi.list.query);
const SID = compile(messagesApi.pathParameters.Sid!);
const ACCOUNT_SID = compile(messagesApi.pathParameters.AccountSid!);

/** Parses and checks a form body or query string against one operation's parameters. */
function parse(input: string, compiled: Compiled): Params | TwilioError {
  const params: Params = {};
  for (const [name, value] of new URLSearchParams(input)) {
    const spec = compiled.get(name);
    if (!spec) return twilioError(400, 20001, `Unknown parameter: ${name}`);
    const error = spec.check(name, value);
    if (error) return error;
    const previous = params[name];
    if (spec.array) params[name] = previous === undefined ? [value] : [...(previous as string[]), value];
    else if (previous !== undefined) return twilioError(400, 20001, `Parameter ${name} given more than once`);
    else params[name] = value;
  }
  return params;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const WHATSAPP = /^whatsapp:\+[1-9]\d{1,14}$/;
const SHORT_CODE = /^\d{3,8}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** The create request's parameters, or the error Twilio would answer. */
export function validateCreate(body: string): Params | TwilioError {
  const params = parse(body, CREATE);
  if (isError(params)) return params;
  const to = params.To as string | undefined;
  const from = params.From as string | undefined;
  const service = params.MessagingServiceSid as string | undefined;
  const text = params.Body as string | undefined;
  const media = params.MediaUrl as string[] | undefined;
  const contentSid = params.ContentSid as string | undefined;
  const variables = params.ContentVariables as string | undefined;

  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!E164.test(to) && !WHATSAPP.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.");
  if (from !== undefined && !(E164.test(from) || WHATSAPP.test(from) || SHORT_CODE.test(from) || ALPHANUMERIC_SENDER.test(from))) {
    return twilioError(400, 21212, `Invalid From Number (caller ID): ${from}`);
  }
  if (from !== undefined && from.startsWith('whatsapp:') !== to.startsWith('whatsapp:')) {
    return twilioError(400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
  }
  if (!text && !media && !contentSid) return twilioError(400, 21602, 'Message body is required.');
  if (text && text.length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  if (media && media.length > 10) return twilioError(400, 21623, 'Number of media files exceeds allowed limit.');
  if (variables !== undefined) {
    if (!contentSid) return twilioError(400, 21656, 'ContentVariables requires ContentSid.');
    if (!isJsonObject(variables)) return twilioError(400, 21656, 'The ContentVariables Parameter is invalid.');
  }
  return params;
}

export function validateListQuery(query: string): Params | TwilioError {
  return parse(query, LIST);
}

export function isValidSid(sid: string): boolean {
  return SID('Sid', sid) === null;
}

export function isValidAccountSid(sid: string): boolean {
  return ACCOUNT_SID('AccountSid', sid) === null;
}

export function isError(value: unknown): value is TwilioError {
  return typeof value === 'object' && value !== null && typeof (value as TwilioError).code === 'number';
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

function isJsonObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** A DateSent/SendAt value: YYYY-MM-DD, ISO 8601, RFC 2822 and the other forms Twilio's examples show. */
export function parseDate(value: string): number | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = day ? Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
