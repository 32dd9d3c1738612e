/**
 * Inputs for the fuzzer, derived from each route's own JSON schema so that a new route is covered
 * without anyone writing a generator for it: values of the right shape (which get past validation and
 * reach the handler), then the same values with one part made hostile, plus raw payloads no schema can
 * describe (broken JSON, broken encodings, broken CSV).
 */
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  examples?: unknown[];
  default?: unknown;
};

const SQL = ["'; DROP TABLE contacts; --", "1' OR '1'='1", "1; SELECT pg_sleep(10)", '$1', "\\'; COMMIT; --"];
const TEMPLATES = ['{{constructor.constructor("return process")()}}', '{{contact.__proto__.polluted}}', '{{7*7}}', '${process.exit(1)}', '<%= 7*7 %>', '{{#each contact}}{{/each}}', '{{', '}}{{contact.name'];
const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', ']]><![CDATA[', '=cmd|" /C calc"!A0'];
const UNICODE = ['\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', '\uFEFFbom', '\u202Eevil', 'Ñandutí g̃uarani ỹ', '👩‍👩‍👧‍👦', 'e\u0301\u0301\u0301', '\r\n\t'];
const DATES = ['2026-02-30', '2026-13-01', '0000-00-00', '-0001-01-01', '99999-01-01', '9999-12-31T23:59:59Z', '2026-03-08T02:30:00', '2026-10-04T00:30:00-03:00', 'yesterday', '24:00', '25:61', '1e10', ''];
const ZONES = ['Mars/Olympus_Mons', 'America/Asuncion\u0000', '../../etc/passwd', 'UTC+99', 'America/New York', 'EST5EDT,M3.2.0,M11.1.0'];
const NUMBERS = [-1, 0, -2147483649, 2147483648, 2 ** 53 + 1, 1.5, -0.0001, 1e308];
const HUGE = ['x'.repeat(100_000), '9'.repeat(5000), '{{contact.name}}'.repeat(2000)];

export const hostileString = fc.constantFrom(...SQL, ...TEMPLATES, ...MARKUP, ...UNICODE, ...DATES, ...ZONES, ...HUGE);

/** Any JSON value of a type a field may not expect. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom<unknown>(...NUMBERS, true, false, null, [], {}, [null], JSON.parse('{"__proto__": {"polluted": true}}'), { $ne: null }, ['a', 1, null]),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
);

/** Values of the shape `schema` describes, biased towards the edges of what it allows. */
export function shapedBy(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => shapedBy(v, depth + 1)));
  const examples = schema.examples?.length ? [fc.constantFrom(...schema.examples)] : [];
  switch ([schema.type].flat()[0]) {
    case 'object':
      return object(schema, depth);
    case 'array':
      return fc.array(shapedBy(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1_000_000, 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      return fc.oneof(...examples, string(schema));
    default:
      return fc.oneof(...examples, fc.jsonValue({ maxDepth: 2 }));
  }
}

function string(schema: JsonSchema): fc.Arbitrary<string> {
  const fit = (s: string) => s.slice(0, schema.maxLength ?? 200).padEnd(schema.minLength ?? 0, 'a');
  if (schema.format === 'date-time') return fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).map((s) => s.slice(0, schema.maxLength ?? 200));
  return fc.oneof(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }), hostileString.map(fit));
}

function object(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, shapedBy(v, depth + 1)]));
  const record = fc.record(properties, { requiredKeys: schema.required ?? [] });
  const free = schema.patternProperties ? Object.entries(schema.patternProperties)[0] : typeof schema.additionalProperties === 'object' ? ['^[a-z]{1,10}$', schema.additionalProperties] as const : undefined;
  if (!free) return record;
  const entries = fc.dictionary(fc.stringMatching(new RegExp(free[0])).map((k) => k.slice(0, 64)), shapedBy(free[1], depth + 1), { maxKeys: 3 });
  return fc.tuple(record, entries).map(([fixed, extra]) => ({ ...extra, ...fixed }));
}

/**
 * A well-shaped value with one thing wrong: a hostile field, an unknown field, a missing field, or a
 * hostile whole. Given valid examples (the route's documented ones), most variants start from one of
 * them, so that everything but the hostile part passes and the hostile part reaches the handler's logic.
 */
export function hostileVariantOf(schema: JsonSchema | undefined, examples: unknown[] = []): fc.Arbitrary<unknown> {
  const base = examples.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...examples) }, { weight: 1, arbitrary: shapedBy(schema) }) : shapedBy(schema);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(base, fc.nat(), hostileValue).map(([value, pick, hostile]) => replaceOnePart(value, pick, hostile)) },
    { weight: 1, arbitrary: fc.tuple(base, fc.constantFrom('__proto__', 'constructor', 'zzUnknown', 'role', 'id'), hostileValue).map(([value, key, hostile]) => (isObject(value) ? { ...value, [key]: hostile } : value)) },
    { weight: 1, arbitrary: fc.tuple(base, fc.nat()).map(([value, pick]) => dropOneField(value, pick)) },
    { weight: 1, arbitrary: hostileValue },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces the pick-th leaf (depth first) of `value` by `hostile`. */
function replaceOnePart(value: unknown, pick: number, hostile: unknown): unknown {
  const leaves: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (typeof child === 'object' && child !== null ? walk(child) : leaves.push({ parent: node, key: i })));
    else if (isObject(node)) for (const [k, child] of Object.entries(node)) typeof child === 'object' && child !== null ? walk(child) : leaves.push({ parent: node, key: k });
  };
  const copy = structuredClone(value);
  walk(copy);
  if (leaves.length === 0) return hostile;
  const leaf = leaves[pick % leaves.length]!;
  (leaf.parent as Record<string | number, unknown>)[leaf.key] = hostile;
  return copy;
}

function dropOneField(value: unknown, pick: number): unknown {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 0) return value;
  const { [keys[pick % keys.length]!]: _dropped, ...rest } = value;
  return rest;
}

const CSV_COLUMNS = ['phone', 'name', 'role', 'language', 'channel', 'schoolCode', 'department', 'district', 'grade', 'timezone', 'attr_child', 'code', 'zone', 'subject', 'level', 'score', 'PHONE', 'Teléfono', ''];
const CSV_CELLS = ['0981 123 456', '+595 981 123456', '021 123 456', 'parent', 'teacher', 'gn', 'sms', '11', '1101', '3', 'IV', '250.5', 'America/Asuncion', ...DATES, ...ZONES, ...SQL, ...TEMPLATES, ...MARKUP, ...UNICODE];

/** A CSV file, well-formed or not: known and unknown columns, hostile cells, stray quotes, either separator, a BOM, Latin-1. */
export const hostileCsv: fc.Arbitrary<Buffer> = fc
  .record({
    header: fc.array(fc.oneof(fc.constantFrom(...CSV_COLUMNS), fc.string({ maxLength: 10 })), { minLength: 0, maxLength: 8 }),
    rows: fc.array(fc.array(fc.oneof(fc.constantFrom(...CSV_CELLS), fc.string({ maxLength: 12 })), { maxLength: 9 }), { maxLength: 6 }),
    separator: fc.constantFrom(',', ';', '\t'),
    quote: fc.constantFrom('', '"', "'"),
    bom: fc.boolean(),
    encoding: fc.constantFrom<BufferEncoding>('utf8', 'latin1'),
  })
  .map(({ header, rows, separator, quote, bom, encoding }) => {
    const line = (cells: string[]) => cells.map((c) => `${quote}${c}${quote}`).join(separator);
    return Buffer.from(`${bom ? '\uFEFF' : ''}${[header, ...rows].map(line).join('\n')}\n`, encoding);
  });

/** Payloads no schema describes, each with the content type it claims ('' for none). */
export const RAW_PAYLOADS: Array<{ name: string; contentType: string; payload: Buffer }> = [
  { name: 'truncated JSON', contentType: 'application/json', payload: Buffer.from('{"name": "Ana", "phone": "0981') },
  { name: 'JSON with a BOM', contentType: 'application/json', payload: Buffer.from('\uFEFF{"name":"Ana"}') },
  { name: 'JSON with a poisoned prototype', contentType: 'application/json', payload: Buffer.from('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}') },
  { name: 'deeply nested JSON', contentType: 'application/json', payload: Buffer.from('['.repeat(5000) + ']'.repeat(5000)) },
  { name: 'invalid UTF-8 in JSON', contentType: 'application/json; charset=utf-8', payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}')]) },
  { name: 'Latin-1 bytes claiming UTF-8', contentType: 'application/json', payload: Buffer.from('{"name":"Ñandutí"}', 'latin1') },
  { name: 'UTF-16 JSON', contentType: 'application/json; charset=utf-16le', payload: Buffer.from('{"name":"Ana"}', 'utf16le') },
  { name: 'an empty JSON body', contentType: 'application/json', payload: Buffer.alloc(0) },
  { name: 'no body and no content type', contentType: '', payload: Buffer.alloc(0) },
  { name: 'a form body', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from('name=Ana&phone=%00&phone=%FF&__proto__[x]=1') },
  { name: 'a broken form body', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from('%%%&=&==&%E0%A4%A') },
  { name: 'XML', contentType: 'application/xml', payload: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>') },
  { name: 'a CSV with unbalanced quotes', contentType: 'text/csv', payload: Buffer.from('phone,name,role\n"0981 123 456,"Ana,parent\n0981,"\n') },
  { name: 'a CSV with NUL bytes and mixed separators', contentType: 'text/csv', payload: Buffer.from('phone;name,role\n0981\u0000123;Ana,parent\n\u0000\u0000\n') },
  { name: 'a CSV in broken UTF-8', contentType: 'text/csv', payload: Buffer.concat([Buffer.from('phone,name,role\n0981123456,'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(',parent\n')]) },
  { name: 'a CSV of only a header', contentType: 'text/csv', payload: Buffer.from('phone,name,role\n') },
  { name: 'a CSV with formulas and injection', contentType: 'text/csv', payload: Buffer.from(`phone,name,role\n0981 555 444,=HYPERLINK("http://x"),parent\n'; DROP TABLE contacts; --,{{constructor}},admin\n`) },
  { name: 'a CSV with 5000 columns', contentType: 'text/csv', payload: Buffer.from(`${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\n${'x,'.repeat(4999)}x\n`) },
  { name: 'a CSV with a 200 KB line', contentType: 'text/csv', payload: Buffer.from(`phone,name,role\n0981123456,${'n'.repeat(200_000)},parent\n`) },
  { name: 'binary noise as CSV', contentType: 'application/octet-stream', payload: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) },
];

/** Path parameter values (before URL encoding) that name nothing, or try to name too much; and 1, which may name something. */
export const PARAM_VALUES = ['1', '-1', '0', '99999999999999999999', '1 OR 1=1', '\u0000', '../../etc/passwd', 'NaN', '1e3', '0x10', '１', '😀', "'", 'null', '2147483648', 'x'.repeat(3000)];
