/**
 * Regenerates messages-api.json from Twilio's OpenAPI description of its 2010 API
 * (twilio_api_v2010.json in the twilio/twilio-oai repository). The CI clone does not have that 1.8 MB
 * file, so the Twilio-compatible server validates against this small extract instead.
 *
 *   node --import tsx test/twilio-server/extract-messages-api.ts /path/to/twilio_api_v2010.json [commit date]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, unknown> & { $ref?: string; properties?: Record<string, Schema>; items?: Schema };
type Parameter = { name: string; in: string; required?: boolean; schema: Schema };

const [source, commit = 'd50069b', date = '2026-04-14'] = process.argv.slice(2);
if (!source) {
  console.error('usage: extract-messages-api.ts <twilio_api_v2010.json> [commit] [date]');
  process.exit(2);
}

const LIST = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const INSTANCE = '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json';
const api = JSON.parse(readFileSync(source, 'utf8'));
const schemas: Record<string, Schema> = api.components.schemas;

/** Inlines $refs (the enums live in components) and drops prose, which the server has no use for. */
function clean(schema: Schema): Schema {
  if (schema.$ref) return clean(schemas[schema.$ref.replace('#/components/schemas/', '')]!);
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'examples' || key === 'example') continue;
    if (key === 'properties') out.properties = mapValues(value as Record<string, Schema>, clean);
    else if (key === 'items') out.items = clean(value as Schema);
    else out[key] = value;
  }
  return out;
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function parameters(list: Parameter[], where: string): Record<string, Schema> {
  return Object.fromEntries(list.filter((p) => p.in === where).map((p) => [p.name, { ...clean(p.schema), ...(p.required ? { required: true } : {}) }]));
}

const create = api.paths[LIST].post;
const body = create.requestBody.content['application/x-www-form-urlencoded'].schema;
const message = schemas['api.v2010.account.message']!;
const listResponse = api.paths[LIST].get.responses['200'].content['application/json'].schema;

const extract = {
  $comment:
    `Extracted from twilio_api_v2010.json (twilio/twilio-oai commit ${commit}, ${date}), Twilio's official OpenAPI ` +
    'description of its 2010 REST API, by test/twilio-server/extract-messages-api.ts. Regenerate; do not edit by hand.',
  paths: { list: LIST, instance: INSTANCE },
  pathParameters: { ...parameters(create.parameters, 'path'), ...parameters(api.paths[INSTANCE].get.parameters, 'path') },
  create: { required: body.required ?? [], properties: mapValues(body.properties as Record<string, Schema>, clean) },
  list: { query: parameters(api.paths[LIST].get.parameters, 'query'), envelope: Object.keys(listResponse.properties) },
  message: { properties: mapValues(message.properties as Record<string, Schema>, clean) },
};

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages-api.json');
writeFileSync(target, JSON.stringify(extract, null, 2) + '\n');
console.log(`wrote ${target}: ${Object.keys(extract.create.properties).length} create parameters`);
