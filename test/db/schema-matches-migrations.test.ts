/**
 * prisma/schema.prisma and prisma/migrations must describe the same database: the client is generated
 * from the one, production is built by the other. The global setup has just built the test database
 * from the migrations; this compares its catalog with the schema's datamodel (see ./prisma-dmmf.ts for
 * what is compared and how Prisma's conventions are applied).
 *
 * When this fails after a schema change, write the migration (the SQL `prisma migrate dev` would have
 * generated, in prisma/migrations/<timestamp>_<name>/migration.sql); after a migration, update the schema.
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSchema, readCatalog, schemaFromText, type Catalog, type DmmfField, type SchemaDmmf } from './prisma-dmmf.js';

const schemaPath = new URL('../../prisma/schema.prisma', import.meta.url);

let schemaText: string;
let schema: SchemaDmmf;
let catalog: Catalog;

beforeAll(async () => {
  schemaText = await readFile(schemaPath, 'utf8');
  schema = schemaFromText(schemaText);
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    catalog = await readCatalog(client);
  } finally {
    await client.end();
  }
});

describe('prisma/schema.prisma and prisma/migrations', () => {
  it('describe the same database', () => {
    // Guard against a vacuous pass: both sides were actually read.
    expect(schema.models.length).toBeGreaterThan(0);
    expect(catalog.tables.length).toBeGreaterThan(0);

    expect(
      compareSchema(schema, catalog),
      'prisma/schema.prisma and the database built by prisma/migrations disagree; add the missing migration or fix the schema',
    ).toEqual([]);
  });
});

describe('compareSchema', () => {
  /**
   * What an alteration adds to the comparison of the unaltered schema (empty when the first test passes),
   * so that these tests prove the checker's sensitivity even while the real schema is out of step.
   */
  function newMessages(before: string[], after: string[]): string[] {
    expect(before.filter((m) => !after.includes(m)), 'the alteration hid a mismatch').toEqual([]);
    return after.filter((m) => !before.includes(m));
  }

  function field(dmmf: SchemaDmmf, model: string, name: string): DmmfField {
    const found = dmmf.models.find((m) => m.name === model)?.fields.find((f) => f.name === name);
    if (!found) throw new Error(`no field ${model}.${name} in prisma/schema.prisma; update this test`);
    return found;
  }

  it.each<[string, (dmmf: SchemaDmmf) => void, string[]]>([
    [
      'a column renamed in the schema only',
      (dmmf) => {
        field(dmmf, 'Contact', 'optOutSource').dbName = 'opted_out_by';
      },
      [
        'contacts.opted_out_by: column is in the schema (Contact.optOutSource) but not in the database',
        'contacts.opt_out_source: column is in the database but not in the schema',
      ],
    ],
    [
      'an index dropped from the schema only',
      (dmmf) => {
        const at = dmmf.indexes.findIndex((i) => i.model === 'Contact' && i.type === 'normal' && i.fields.map((f) => f.name).join() === 'timezone');
        expect(at).toBeGreaterThanOrEqual(0);
        dmmf.indexes.splice(at, 1);
      },
      ['contacts: database has index contacts_timezone_idx (timezone) that the schema does not declare'],
    ],
    [
      'a native type dropped from the schema only',
      (dmmf) => {
        field(dmmf, 'Contact', 'grade').nativeType = null;
      },
      ['contacts.grade: database has smallint, schema says integer'],
    ],
    [
      'a changed onDelete',
      (dmmf) => {
        field(dmmf, 'ApiKey', 'user').relationOnDelete = 'Restrict';
      },
      ['api_keys: foreign key api_keys_user_id_fkey (ApiKey.user): database has onDelete Cascade, schema says Restrict'],
    ],
  ])('reports %s, and only that', (_, alter, expected) => {
    const dmmf = structuredClone(schema);
    const before = compareSchema(dmmf, catalog);
    alter(dmmf);
    expect(newMessages(before, compareSchema(dmmf, catalog))).toEqual(expected);
  });

  it('reports a partial-index predicate missing from the schema text', () => {
    const where = ', where: raw("claimed_until IS NOT NULL")';
    expect(schemaText).toContain(where);
    const before = compareSchema(schema, catalog);
    const dmmf = schemaFromText(schemaText.replace(where, ''));
    expect(newMessages(before, compareSchema(dmmf, catalog))).toEqual([
      'deliveries: index deliveries_claimed_idx: database has WHERE (claimed_until IS NOT NULL), schema has no where:',
    ]);
  });
});
