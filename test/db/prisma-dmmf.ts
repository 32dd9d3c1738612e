/**
 * Compares prisma/schema.prisma with the database the migrations build, without Prisma's schema engine
 * (`prisma migrate diff` cannot run offline here).
 *
 * - `schemaFromText` reads the schema through Prisma's own parser (the DMMF from @prisma/prisma-schema-wasm),
 *   plus what the DMMF leaves out, scanned from the schema text: partial-index predicates
 *   (`where: raw("...")`), explicit foreign-key names (`@relation(map: "...")`), and the columns and
 *   tables of `Unsupported(...)` / `@ignore` fields and `@@ignore` models.
 * - `readCatalog` reads tables, columns, enums, indexes and foreign keys of schema `public` from pg_catalog.
 * - `compareSchema` is pure: one readable line per disagreement, all of them at once.
 *
 * The expectations follow what `prisma migrate dev` generates for PostgreSQL; each rule is commented where
 * it is applied.
 */
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import type pg from 'pg';

// ------------------------------------------------------------------------------------------- DMMF

export type ReferentialAction = 'Cascade' | 'Restrict' | 'NoAction' | 'SetNull' | 'SetDefault';

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: ReferentialAction;
  relationOnUpdate?: ReferentialAction;
  /** Not in the DMMF: the `map:` of `@relation`, read from the schema text. */
  relationDbName?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  /**
   * Not in the DMMF, which leaves them out: `Unsupported("...")` and `@ignore` fields, read from the
   * schema text. Prisma still creates their columns; only their presence and nullability are compared.
   */
  unmodeledFields?: UnmodeledField[];
}

export interface UnmodeledField {
  name: string;
  column: string;
  nullable: boolean;
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  isDefinedOnField: boolean;
  dbName?: string;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc'; operatorClass?: string; length?: number }[];
  /**
   * Not in the DMMF: the `where:` argument of a partial index, read from the schema text. `sql` is the
   * predicate of `where: raw("...")`, null for any other form (then only its presence is compared).
   */
  where?: { sql: string | null; source: string };
}

export interface SchemaDmmf {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
  /** Not in the DMMF: tables of `@@ignore` models, which Prisma creates but does not model. Presence only. */
  ignoredTables?: string[];
}

/** The datamodel of a Prisma schema, as Prisma's parser sees it, plus partial-index predicates and FK names. */
export function schemaFromText(schemaText: string): SchemaDmmf {
  let json: string;
  try {
    json = get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schemaText]] }));
  } catch (err) {
    // The wasm throws `{"error_code":"P1012","message":"<coloured validation errors>"}`.
    const text = err instanceof Error ? err.message : String(err);
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep it as it is
    }
    throw new Error(`the Prisma schema does not validate:\n${message.replace(/\u001b\[[0-9;]*m/g, '')}`);
  }
  const dmmf = JSON.parse(json) as { datamodel: SchemaDmmf };
  const { models, enums, indexes } = dmmf.datamodel;
  const extras = scanSchemaText(schemaText);

  for (const partial of extras.partialIndexes) {
    const target = indexes.find(
      (index) =>
        index.model === partial.model &&
        index.type === partial.type &&
        (index.dbName ?? null) === partial.map &&
        index.fields.map((f) => f.name).join(',') === partial.fields.join(','),
    );
    // Loud rather than silently ignoring a predicate: the text scanner below must keep up with the syntax.
    if (!target) throw new Error(`cannot match the partial index ${partial.model}(${partial.fields.join(', ')}) of the schema text to the DMMF`);
    target.where = partial.where;
  }
  for (const relation of extras.relationMaps) {
    const field = models.find((m) => m.name === relation.model)?.fields.find((f) => f.name === relation.field);
    if (!field) throw new Error(`cannot find relation field ${relation.model}.${relation.field} in the DMMF`);
    field.relationDbName = relation.map;
  }
  for (const model of models) {
    const unmodeled = extras.unmodeledFields.filter((f) => f.model === model.name);
    if (unmodeled.length) model.unmodeledFields = unmodeled.map(({ name, column, nullable }) => ({ name, column, nullable }));
  }
  return { models, enums, indexes, ignoredTables: extras.ignoredTables };
}

// ----------------------------------------------------------------------------- schema text scanner

interface PartialIndexSource {
  model: string;
  type: 'unique' | 'normal';
  fields: string[];
  map: string | null;
  where: { sql: string | null; source: string };
}

interface RelationMapSource {
  model: string;
  field: string;
  map: string;
}

/** Replaces `//` comments (including `///` doc comments) by spaces, leaving string literals alone. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
      if (i < text.length) out += '\n';
    } else {
      out += ch;
    }
  }
  return out;
}

/** Index just past the bracket closing the one at `open`, string-aware. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced brackets in the schema near: ${text.slice(open, open + 80)}`);
}

/** Splits at `separator` characters outside brackets and strings. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `fields, map: "x", where: raw("...")` → positional and named arguments. */
function parseArguments(inner: string): { positional: string[]; named: Map<string, string> } {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const arg of splitTopLevel(inner, ',')) {
    const m = /^([A-Za-z_]\w*)\s*:\s*([\s\S]*)$/.exec(arg);
    if (m) named.set(m[1]!, m[2]!.trim());
    else positional.push(arg);
  }
  return { positional, named };
}

function stringLiteral(value: string | undefined): string | null {
  if (value === undefined) return null;
  return /^"(?:[^"\\]|\\.)*"$/.test(value) ? (JSON.parse(value) as string) : null;
}

interface SchemaTextExtras {
  partialIndexes: PartialIndexSource[];
  relationMaps: RelationMapSource[];
  unmodeledFields: (UnmodeledField & { model: string })[];
  ignoredTables: string[];
}

function scanSchemaText(schemaText: string): SchemaTextExtras {
  const text = stripComments(schemaText);
  const partialIndexes: PartialIndexSource[] = [];
  const relationMaps: RelationMapSource[] = [];
  const unmodeledFields: SchemaTextExtras['unmodeledFields'] = [];
  const ignoredTables: string[] = [];
  const blockStart = /\bmodel\s+([A-Za-z_]\w*)\s*\{/g;
  const modelNames = new Set([...text.matchAll(blockStart)].map((m) => m[1]!));
  for (let block = blockStart.exec(text); block; block = blockStart.exec(text)) {
    const model = block[1]!;
    const open = block.index + block[0].length - 1;
    const end = closingBracket(text, open);
    const body = text.slice(open + 1, end - 1);
    // One statement per line, except where brackets span lines.
    const statements = splitTopLevel(body, '\n');
    if (statements.some((st) => /^@@ignore\b/.test(st))) {
      const map = statements.map((st) => /^@@map\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)/.exec(st)?.[1]).find((m) => m !== undefined);
      ignoredTables.push(map ? (JSON.parse(map) as string) : model);
      continue;
    }
    for (const statement of statements) {
      const blockAttribute = /^@@(index|unique)\s*\(/.exec(statement);
      if (blockAttribute) {
        const open = blockAttribute[0].length - 1;
        const args = parseArguments(statement.slice(open + 1, closingBracket(statement, open) - 1));
        const where = args.named.get('where');
        if (where === undefined) continue;
        const list = args.named.get('fields') ?? args.positional[0] ?? '[]';
        const fields = splitTopLevel(list.replace(/^\[|\]$/g, ''), ',').map((f) => /^[A-Za-z_]\w*/.exec(f)?.[0] ?? f);
        const raw = /^raw\(\s*("(?:[^"\\]|\\.)*")\s*\)$/.exec(where);
        partialIndexes.push({
          model,
          type: blockAttribute[1] === 'unique' ? 'unique' : 'normal',
          fields,
          map: stringLiteral(args.named.get('map')),
          where: { sql: raw ? (JSON.parse(raw[1]!) as string) : null, source: where },
        });
        continue;
      }
      const unmodeled = /^([A-Za-z_]\w*)\s+(Unsupported\s*\(\s*"(?:[^"\\]|\\.)*"\s*\)|[A-Za-z_]\w*)(\?|\[\])?/.exec(statement);
      // (An `@ignore` relation field has no column of its own.)
      if (unmodeled && !modelNames.has(unmodeled[2]!) && (unmodeled[2]!.startsWith('Unsupported') || /@ignore\b/.test(statement))) {
        const map = /@map\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)/.exec(statement)?.[1];
        // Optional and list columns are nullable (see the nullability rule in compareSchema).
        unmodeledFields.push({ model, name: unmodeled[1]!, column: map ? (JSON.parse(map) as string) : unmodeled[1]!, nullable: unmodeled[3] !== undefined });
        continue;
      }
      const field = /^([A-Za-z_]\w*)\s+[A-Za-z_]/.exec(statement);
      const relation = field ? /@relation\s*\(/.exec(statement) : null;
      if (field && relation) {
        const open = relation.index + relation[0].length - 1;
        const args = parseArguments(statement.slice(open + 1, closingBracket(statement, open) - 1));
        const map = stringLiteral(args.named.get('map'));
        if (map !== null) relationMaps.push({ model, field: field[1]!, map });
      }
    }
  }
  return { partialIndexes, relationMaps, unmodeledFields, ignoredTables };
}

// ---------------------------------------------------------------------------------------- catalog

export interface CatalogColumn {
  name: string;
  /** `format_type()` spelling (`timestamp(3) with time zone`, `text[]`), or `enum <name>` / `enum <name>[]`. */
  type: string;
  nullable: boolean;
  /** `pg_get_expr()` of the column default. */
  default: string | null;
  identity: boolean;
}

export interface CatalogTable {
  name: string;
  columns: CatalogColumn[];
}

export interface CatalogEnum {
  name: string;
  values: string[];
}

export interface CatalogIndex {
  table: string;
  name: string;
  /** Key columns in order; an expression appears as `(expr)`. */
  columns: string[];
  unique: boolean;
  primary: boolean;
  method: string;
  /** `pg_get_expr()` of the partial-index predicate. */
  predicate: string | null;
  descending: boolean[];
  /** Operator class per column, and whether it is the default one for the column's type. */
  opclasses: string[];
  defaultOpclasses: boolean[];
}

export interface CatalogForeignKey {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface Catalog {
  tables: CatalogTable[];
  enums: CatalogEnum[];
  indexes: CatalogIndex[];
  foreignKeys: CatalogForeignKey[];
}

/** Prisma's own bookkeeping table, created by the migrator and absent from the schema. */
const IGNORED_TABLES = ['_prisma_migrations'];

const ACTIONS: Record<string, ReferentialAction> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

type Queryable = Pick<pg.Client, 'query'>;

/** Reads schema `public` of the database behind `client`. */
export async function readCatalog(client: Queryable, schema = 'public'): Promise<Catalog> {
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> ALL ($2::text[])
      ORDER BY c.relname`,
    [schema, IGNORED_TABLES],
  );
  const columns = await client.query<{
    table_name: string;
    name: string;
    formatted_type: string;
    enum_name: string | null;
    is_array: boolean;
    nullable: boolean;
    default_expr: string | null;
    identity: boolean;
  }>(
    `SELECT c.relname AS table_name, a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS formatted_type,
            CASE WHEN t.typtype = 'e' THEN t.typname::text WHEN et.typtype = 'e' THEN et.typname::text END AS enum_name,
            et.oid IS NOT NULL AS is_array,
            NOT a.attnotnull AS nullable,
            pg_get_expr(d.adbin, d.adrelid) AS default_expr,
            a.attidentity <> '' AS identity
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const enums = await client.query<CatalogEnum>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1
      GROUP BY t.typname
      ORDER BY t.typname`,
    [schema],
  );
  // int2vector and oidvector (indkey, indoption, indclass) subscript from 0.
  const indexes = await client.query<CatalogIndex>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
            am.amname AS method, pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
            array(SELECT CASE WHEN ix.indkey[k] = 0 THEN '(' || pg_get_indexdef(ix.indexrelid, k + 1, true) || ')'
                              ELSE (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k]) END
                    FROM generate_series(0, ix.indnkeyatts - 1) AS k ORDER BY k) AS columns,
            array(SELECT (ix.indoption[k] & 1) = 1 FROM generate_series(0, ix.indnkeyatts - 1) AS k ORDER BY k) AS descending,
            array(SELECT oc.opcname::text
                    FROM generate_series(0, ix.indnkeyatts - 1) AS k JOIN pg_opclass oc ON oc.oid = ix.indclass[k] ORDER BY k) AS opclasses,
            array(SELECT oc.opcdefault
                    FROM generate_series(0, ix.indnkeyatts - 1) AS k JOIN pg_opclass oc ON oc.oid = ix.indclass[k] ORDER BY k) AS "defaultOpclasses"
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = $1 AND t.relkind IN ('r', 'p') AND t.relname <> ALL ($2::text[])
      ORDER BY t.relname, i.relname`,
    [schema, IGNORED_TABLES],
  );
  const foreignKeys = await client.query<{
    table: string;
    name: string;
    columns: string[];
    referenced_table: string;
    referenced_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT t.relname AS table, con.conname AS name, rt.relname AS referenced_table,
            array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns,
            con.confdeltype AS on_delete, con.confupdtype AS on_update
       FROM pg_constraint con
       JOIN pg_class t ON t.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_class rt ON rt.oid = con.confrelid
      WHERE con.contype = 'f' AND n.nspname = $1
      ORDER BY t.relname, con.conname`,
    [schema],
  );

  return {
    tables: tables.rows.map(({ name }) => ({
      name,
      columns: columns.rows
        .filter((c) => c.table_name === name)
        .map((c) => ({
          name: c.name,
          type: c.enum_name !== null ? `enum ${c.enum_name}${c.is_array ? '[]' : ''}` : c.formatted_type,
          nullable: c.nullable,
          default: c.default_expr,
          identity: c.identity,
        })),
    })),
    enums: enums.rows,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows.map((fk) => ({
      table: fk.table,
      name: fk.name,
      columns: fk.columns,
      referencedTable: fk.referenced_table,
      referencedColumns: fk.referenced_columns,
      onDelete: ACTIONS[fk.on_delete] ?? 'NoAction',
      onUpdate: ACTIONS[fk.on_update] ?? 'NoAction',
    })),
  };
}

// ------------------------------------------------------------------------------------- comparison

/** PostgreSQL's NAMEDATALEN - 1; Prisma shortens generated constraint names to fit. */
const MAX_IDENTIFIER_BYTES = 63;

/** Prisma's default constraint names (psl ConstraintNames): `<table>[_<columns>]<suffix>`, cut to 63 bytes. */
function constraintName(table: string, columns: string[] | null, suffix: string): string {
  const base = columns === null ? table : `${table}_${columns.join('_')}`;
  const bytes = Buffer.from(base, 'utf8');
  let end = Math.min(bytes.length, MAX_IDENTIFIER_BYTES - Buffer.byteLength(suffix));
  while (end > 0 && end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8') + suffix;
}

/** The PostgreSQL type Prisma creates for a scalar type without `@db.*`. */
const DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** The `format_type()` spelling of a `@db.*` native type (the DMMF gives its name and arguments). */
function nativeTypeName(name: string, args: string[]): string {
  const precision = args[0] !== undefined ? `(${args[0]})` : '';
  switch (name) {
    case 'Text': return 'text';
    case 'VarChar': return `character varying${precision}`;
    case 'Char': return `character(${args[0] ?? 1})`;
    case 'Bit': return `bit(${args[0] ?? 1})`;
    case 'VarBit': return `bit varying${precision}`;
    case 'Integer': return 'integer';
    case 'SmallInt': return 'smallint';
    case 'BigInt': return 'bigint';
    case 'DoublePrecision': return 'double precision';
    case 'Real': return 'real';
    case 'Decimal': return args.length ? `numeric(${args[0]},${args[1] ?? 0})` : 'numeric';
    case 'Timestamp': return `timestamp${precision} without time zone`;
    case 'Timestamptz': return `timestamp${precision} with time zone`;
    case 'Time': return `time${precision} without time zone`;
    case 'Timetz': return `time${precision} with time zone`;
    case 'JsonB': return 'jsonb';
    case 'ByteA': return 'bytea';
    // Uuid, Xml, Inet, Citext, Oid, Money, Date, Json, Boolean: the lower-cased name.
    default: return name.toLowerCase();
  }
}

function describeIndexKind(index: { primary: boolean; unique: boolean }): string {
  return index.primary ? 'primary key' : index.unique ? 'unique index' : 'index';
}

/** Loose SQL comparison for predicates: case, quotes, parentheses, whitespace and `::type` casts ignored. */
function normalizeSql(sql: string): string {
  return sql
    .toLowerCase()
    .replace(/::\s*"?[a-z_][a-z0-9_]*"?(?:\s+(?:varying|precision|with|without|time|zone))*(?:\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*/g, '')
    .replace(/["()\s]/g, '');
}

/** A trailing `::type` cast, array brackets captured. */
const CAST = /::(?:"[^"]+"|[a-z_][a-z0-9_ ]*)(?:\(\d+(?:,\d+)?\))?((?:\[\])*)/;

/** Parses the literal of a column default (`'x'::text`, `0`, `'-1'::integer`, `ARRAY['a'::text]`, `'{}'::text[]`). */
function parseDefaultLiteral(expr: string): string | string[] | undefined {
  let text = expr.trim();
  const arrayMatch = new RegExp(`^ARRAY\\[([\\s\\S]*?)\\](?:${CAST.source})?$`, 'i').exec(text);
  if (arrayMatch) {
    const items = splitSqlList(arrayMatch[1]!).map(parseDefaultLiteral);
    return items.every((i): i is string => typeof i === 'string') ? items : undefined;
  }
  text = text.replace(new RegExp(`${CAST.source}$`, 'i'), (_cast, brackets: string) => brackets.slice(0, 2)).trim();
  const isArray = text.endsWith('[]');
  if (isArray) text = text.slice(0, -2);
  while (/^\(.*\)$/.test(text)) text = text.slice(1, -1).trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) {
    const value = quoted[1]!.replace(/''/g, "'");
    if (isArray) {
      // A PostgreSQL array literal: '{}' or '{a,b}' (elements unquoted or double-quoted).
      const inner = /^\{(.*)\}$/.exec(value)?.[1];
      if (inner === undefined) return undefined;
      return inner === '' ? [] : inner.split(',').map((v) => v.replace(/^"(.*)"$/, '$1'));
    }
    return value;
  }
  return /^[-+]?[\w.]+$/.test(text) ? text : undefined;
}

function splitSqlList(text: string): string[] {
  const parts: string[] = [];
  let inString = false;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") inString = !inString;
    else if (!inString && (ch === '(' || ch === '[')) depth++;
    else if (!inString && (ch === ')' || ch === ']')) depth--;
    else if (!inString && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.trim() !== '') parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return a === b;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Prisma's referential-action defaults for a relation field without `onDelete` / `onUpdate`. */
function relationActions(field: DmmfField): { onDelete: ReferentialAction; onUpdate: ReferentialAction } {
  return {
    // Optional relations default to SET NULL, required ones to RESTRICT.
    onDelete: field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull'),
    onUpdate: field.relationOnUpdate ?? 'Cascade',
  };
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

/**
 * Every disagreement between the schema's datamodel and the database catalog, one readable line each
 * (empty when they agree).
 */
export function compareSchema(dmmf: SchemaDmmf, catalog: Catalog): string[] {
  const messages: string[] = [];
  const tableOf = (model: DmmfModel): string => model.dbName ?? model.name;
  const columnOf = (field: DmmfField): string => field.dbName ?? field.name;
  const enumByName = new Map(dmmf.enums.map((e) => [e.name, e]));
  const modelByName = new Map(dmmf.models.map((m) => [m.name, m]));
  const enumDbName = (name: string): string => enumByName.get(name)?.dbName ?? name;

  // ---- tables
  const dbTables = new Map(catalog.tables.map((t) => [t.name, t]));
  const schemaTables = new Set(dmmf.models.map(tableOf));
  const ignoredTables = new Set(dmmf.ignoredTables ?? []);
  for (const model of dmmf.models) {
    if (!dbTables.has(tableOf(model))) messages.push(`${tableOf(model)}: table is in the schema (model ${model.name}) but not in the database`);
  }
  for (const table of ignoredTables) {
    if (!dbTables.has(table)) messages.push(`${table}: table is in the schema (an @@ignore model) but not in the database`);
  }
  for (const table of catalog.tables) {
    if (!schemaTables.has(table.name) && !ignoredTables.has(table.name)) messages.push(`${table.name}: table is in the database but not in the schema`);
  }

  // ---- columns
  for (const model of dmmf.models) {
    const table = tableOf(model);
    const dbTable = dbTables.get(table);
    if (!dbTable) continue;
    const dbColumns = new Map(dbTable.columns.map((c) => [c.name, c]));
    // Relation fields are not columns; their foreign-key fields are ordinary scalar fields.
    const fields = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    const schemaColumns = new Set([...fields.map(columnOf), ...(model.unmodeledFields ?? []).map((f) => f.column)]);
    for (const field of model.unmodeledFields ?? []) {
      const column = dbColumns.get(field.column);
      if (!column) messages.push(`${table}.${field.column}: column is in the schema (${model.name}.${field.name}, Unsupported or @ignore) but not in the database`);
      else if (column.nullable !== field.nullable) {
        const say = (n: boolean): string => (n ? 'nullable' : 'NOT NULL');
        messages.push(`${table}.${field.column}: database has ${say(column.nullable)}, schema says ${say(field.nullable)}`);
      }
    }
    for (const field of fields) {
      const name = `${table}.${columnOf(field)}`;
      const column = dbColumns.get(columnOf(field));
      if (!column) {
        messages.push(`${name}: column is in the schema (${model.name}.${field.name}) but not in the database`);
        continue;
      }

      const base =
        field.kind === 'enum'
          ? `enum ${enumDbName(field.type)}`
          : field.nativeType
            ? nativeTypeName(field.nativeType[0], field.nativeType[1])
            : (DEFAULT_TYPES[field.type] ?? `unknown Prisma type ${field.type}`);
      const type = field.isList ? `${base}[]` : base;
      if (column.type !== type) messages.push(`${name}: database has ${column.type}, schema says ${type}`);

      // Prisma creates scalar-list columns (`String[]`) without NOT NULL, although the DMMF marks every
      // list `isRequired` (the client reads NULL as an empty list); other columns are NOT NULL iff required.
      const nullable = field.isList ? true : !field.isRequired;
      if (column.nullable !== nullable) {
        const say = (n: boolean): string => (n ? 'nullable' : 'NOT NULL');
        messages.push(`${name}: database has ${say(column.nullable)}, schema says ${say(nullable)}${field.isList ? ' (Prisma leaves list columns nullable)' : ''}`);
      }

      messages.push(...compareDefault(name, field, column, enumByName));
    }
    for (const column of dbTable.columns) {
      if (!schemaColumns.has(column.name)) messages.push(`${table}.${column.name}: column is in the database but not in the schema`);
    }
  }

  // ---- enums
  const dbEnums = new Map(catalog.enums.map((e) => [e.name, e]));
  const schemaEnums = new Set(dmmf.enums.map((e) => e.dbName ?? e.name));
  for (const schemaEnum of dmmf.enums) {
    const name = schemaEnum.dbName ?? schemaEnum.name;
    const dbEnum = dbEnums.get(name);
    if (!dbEnum) {
      messages.push(`enum ${name}: is in the schema (enum ${schemaEnum.name}) but not in the database`);
      continue;
    }
    const values = schemaEnum.values.map((v) => v.dbName ?? v.name);
    const missing = values.filter((v) => !dbEnum.values.includes(v));
    const extra = dbEnum.values.filter((v) => !values.includes(v));
    const describeValues = (vs: string[]): string => (vs.length === 1 ? `value ${vs[0]} is` : `values ${list(vs)} are`);
    if (missing.length) messages.push(`enum ${name}: ${describeValues(missing)} in the schema but not in the database`);
    if (extra.length) messages.push(`enum ${name}: ${describeValues(extra)} in the database but not in the schema`);
    if (!missing.length && !extra.length && values.join() !== dbEnum.values.join()) {
      messages.push(`enum ${name}: database has the values in the order ${list(dbEnum.values)}, schema says ${list(values)}`);
    }
  }
  for (const dbEnum of catalog.enums) {
    if (!schemaEnums.has(dbEnum.name)) messages.push(`enum ${dbEnum.name}: is in the database but not in the schema`);
  }

  // ---- primary keys, unique and normal indexes
  const unmatchedIndexes = new Set(catalog.indexes.filter((i) => schemaTables.has(i.table)));
  for (const index of dmmf.indexes) {
    const model = modelByName.get(index.model);
    if (!model) continue;
    const table = tableOf(model);
    if (!dbTables.has(table)) continue;
    const fieldByName = new Map(model.fields.map((f) => [f.name, f]));
    const unmodeledByName = new Map((model.unmodeledFields ?? []).map((f) => [f.name, f.column]));
    const columns = index.fields.map((f) => {
      const field = fieldByName.get(f.name);
      return field ? columnOf(field) : (unmodeledByName.get(f.name) ?? f.name);
    });
    const expected = {
      primary: index.type === 'id',
      unique: index.type === 'id' || index.type === 'unique',
      name:
        index.dbName ??
        (index.type === 'id'
          ? constraintName(table, null, '_pkey')
          : constraintName(table, columns, index.type === 'unique' ? '_key' : '_idx')),
    };
    const kind = describeIndexKind(expected);
    const sameKind = (i: CatalogIndex): boolean => i.primary === expected.primary && i.unique === expected.unique;
    const candidates = [...unmatchedIndexes].filter((i) => i.table === table);
    let dbIndex = candidates.find((i) => i.name === expected.name);
    if (!dbIndex) {
      dbIndex = candidates.find((i) => sameKind(i) && i.columns.join() === columns.join());
      if (dbIndex) messages.push(`${table}: ${kind} on (${list(columns)}) is named ${dbIndex.name} in the database, schema expects ${expected.name}`);
    }
    if (!dbIndex) {
      messages.push(`${table}: ${kind} ${expected.name} (${list(columns)}) is in the schema but not in the database`);
      continue;
    }
    unmatchedIndexes.delete(dbIndex);
    const label = `${table}: ${kind} ${expected.name}`;
    if (!sameKind(dbIndex)) messages.push(`${label}: database has a ${describeIndexKind(dbIndex)}, schema says ${kind}`);
    if (dbIndex.columns.join() !== columns.join()) messages.push(`${label}: database has columns (${list(dbIndex.columns)}), schema says (${list(columns)})`);
    // `type:` of @@index; B-tree when absent (primary keys and unique indexes are always B-trees).
    const method = (index.algorithm ?? 'BTree').toLowerCase();
    if (dbIndex.method !== method) messages.push(`${label}: database uses ${dbIndex.method}, schema says ${method}`);
    // Sort order and operator class, column by column (as far as the column lists line up).
    for (let i = 0; i < Math.min(index.fields.length, dbIndex.columns.length); i++) {
      const field = index.fields[i]!;
      const column = columns[i]!;
      const descending = field.sortOrder === 'desc';
      if (dbIndex.descending[i] !== descending) {
        messages.push(`${label}: database sorts ${column} ${dbIndex.descending[i] ? 'DESC' : 'ASC'}, schema says ${descending ? 'DESC' : 'ASC'}`);
      }
      // Prisma spells operator classes in PascalCase: JsonbPathOps, Int4MinMaxOps for jsonb_path_ops, int4_minmax_ops.
      const opclass = field.operatorClass
        ? field.operatorClass.replace(/MinMax/g, 'Minmax').replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase()
        : null;
      if (opclass === null ? !dbIndex.defaultOpclasses[i] : dbIndex.opclasses[i] !== opclass) {
        messages.push(`${label}: database uses operator class ${dbIndex.opclasses[i]} for ${column}, schema says ${opclass ?? 'the default one'}`);
      }
    }
    const where = index.where;
    if (dbIndex.predicate === null && where) {
      messages.push(`${label}: database has no WHERE clause, schema says where: ${where.source}`);
    } else if (dbIndex.predicate !== null && !where) {
      messages.push(`${label}: database has WHERE ${dbIndex.predicate}, schema has no where:`);
    } else if (dbIndex.predicate !== null && where?.sql != null && normalizeSql(dbIndex.predicate) !== normalizeSql(where.sql)) {
      messages.push(`${label}: database has WHERE ${dbIndex.predicate}, schema says where: ${where.source}`);
    }
  }
  for (const dbIndex of unmatchedIndexes) {
    messages.push(`${dbIndex.table}: database has ${describeIndexKind(dbIndex)} ${dbIndex.name} (${list(dbIndex.columns)}) that the schema does not declare`);
  }

  // ---- foreign keys
  const unmatchedForeignKeys = new Set(catalog.foreignKeys.filter((fk) => schemaTables.has(fk.table)));
  for (const model of dmmf.models) {
    const table = tableOf(model);
    if (!dbTables.has(table)) continue;
    const fieldByName = new Map(model.fields.map((f) => [f.name, f]));
    for (const relation of model.fields) {
      // Only the side holding `fields:`/`references:` owns the constraint.
      if (relation.kind !== 'object' || !relation.relationFromFields?.length) continue;
      const target = modelByName.get(relation.type);
      if (!target) continue;
      const targetFields = new Map(target.fields.map((f) => [f.name, f]));
      const columns = relation.relationFromFields.map((n) => { const f = fieldByName.get(n); return f ? columnOf(f) : n; });
      const referencedColumns = (relation.relationToFields ?? []).map((n) => { const f = targetFields.get(n); return f ? columnOf(f) : n; });
      const expected = {
        name: relation.relationDbName ?? constraintName(table, columns, '_fkey'),
        referencedTable: tableOf(target),
        ...relationActions(relation),
      };
      const candidates = [...unmatchedForeignKeys].filter((fk) => fk.table === table);
      let dbKey = candidates.find((fk) => fk.name === expected.name);
      if (!dbKey) {
        dbKey = candidates.find((fk) => fk.columns.join() === columns.join());
        if (dbKey) messages.push(`${table}: foreign key on (${list(columns)}) is named ${dbKey.name} in the database, schema expects ${expected.name}`);
      }
      const label = `${table}: foreign key ${expected.name} (${model.name}.${relation.name})`;
      if (!dbKey) {
        messages.push(`${label} on (${list(columns)}) → ${expected.referencedTable}(${list(referencedColumns)}) is in the schema but not in the database`);
        continue;
      }
      unmatchedForeignKeys.delete(dbKey);
      if (dbKey.columns.join() !== columns.join()) messages.push(`${label}: database has columns (${list(dbKey.columns)}), schema says (${list(columns)})`);
      if (dbKey.referencedTable !== expected.referencedTable || dbKey.referencedColumns.join() !== referencedColumns.join()) {
        messages.push(`${label}: database references ${dbKey.referencedTable}(${list(dbKey.referencedColumns)}), schema says ${expected.referencedTable}(${list(referencedColumns)})`);
      }
      if (dbKey.onDelete !== expected.onDelete) messages.push(`${label}: database has onDelete ${dbKey.onDelete}, schema says ${expected.onDelete}${relation.relationOnDelete ? '' : ' (Prisma default)'}`);
      if (dbKey.onUpdate !== expected.onUpdate) messages.push(`${label}: database has onUpdate ${dbKey.onUpdate}, schema says ${expected.onUpdate}${relation.relationOnUpdate ? '' : ' (Prisma default)'}`);
    }
  }
  for (const fk of unmatchedForeignKeys) {
    messages.push(`${fk.table}: database has foreign key ${fk.name} (${list(fk.columns)}) → ${fk.referencedTable}(${list(fk.referencedColumns)}) that the schema does not declare`);
  }

  return messages;
}

/** Client-side generators: Prisma fills these in itself and creates no database default. */
const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

function compareDefault(name: string, field: DmmfField, column: CatalogColumn, enums: Map<string, DmmfEnum>): string[] {
  const actual = column.identity ? 'an identity' : column.default;
  const fn =
    field.default !== null && typeof field.default === 'object' && !Array.isArray(field.default)
      ? (field.default as { name: string; args: unknown[] })
      : null;
  const schemaSays = fn ? `@default(${fn.name}(${fn.args.map((a) => JSON.stringify(a)).join(', ')}))` : `@default(${JSON.stringify(field.default)})`;

  // `@updatedAt` alone has no default: Prisma sets the value on every write. `@default(uuid())` and
  // the like have none either. Everything else with `hasDefaultValue` gets a database default.
  if (!field.hasDefaultValue || (fn && CLIENT_DEFAULTS.has(fn.name))) {
    return actual === null ? [] : [`${name}: database has default ${actual}, schema has none${fn ? ` (${schemaSays} is filled in by the client)` : ''}`];
  }
  if (actual === null) return [`${name}: database has no default, schema says ${schemaSays}`];
  const mismatch = [`${name}: database has default ${actual}, schema says ${schemaSays}`];

  if (fn) {
    switch (fn.name) {
      // Prisma creates SERIAL / BIGSERIAL columns (a sequence default); identity columns count as well.
      case 'autoincrement':
      case 'sequence':
        return column.identity || /^nextval\(/i.test(column.default ?? '') ? [] : mismatch;
      // Prisma renders now() as CURRENT_TIMESTAMP.
      case 'now':
        return /^(current_timestamp(\(\d\))?|now\(\)|transaction_timestamp\(\))$/i.test(column.default ?? '') ? [] : mismatch;
      // dbgenerated("...") and anything else: PostgreSQL rewrites the expression, so only its presence is compared.
      default:
        return [];
    }
  }

  const parsed = parseDefaultLiteral(column.default ?? '');
  const expected = field.default;
  const same = (want: unknown, got: string): boolean => {
    if (field.kind === 'enum') {
      const value = enums.get(field.type)?.values.find((v) => v.name === want);
      return (value?.dbName ?? value?.name ?? want) === got;
    }
    switch (field.type) {
      case 'Int':
      case 'BigInt':
      case 'Float':
      case 'Decimal':
        return Number(want) === Number(got);
      case 'Boolean':
        return String(want) === got.toLowerCase();
      case 'Json':
        return typeof want === 'string' && sameJson(want, got);
      case 'String':
        return want === got;
      // DateTime and Bytes literals come back reformatted; their presence is what is compared.
      default:
        return true;
    }
  };
  if (Array.isArray(expected)) {
    return Array.isArray(parsed) && parsed.length === expected.length && expected.every((v, i) => same(v, parsed[i]!)) ? [] : mismatch;
  }
  return typeof parsed === 'string' && same(expected, parsed) ? [] : mismatch;
}
