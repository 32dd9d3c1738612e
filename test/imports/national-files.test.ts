/**
 * The national data set at a small scale: its CSV files, imported through the API, give exactly what
 * loading it straight into the database gives; and it has the variety a demo needs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNationalCsv, type CsvFiles } from '../../scripts/national/csv-files.js';
import { DEPARTMENTS } from '../../scripts/national/departments.js';
import { generateContacts, generateSchools } from '../../scripts/national/generate.js';
import { loadNational } from '../../scripts/national/load.js';
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';
import { uploadCsv } from './upload.js';

const OPTIONS = { scale: 0.002, seed: 7 };

describe('the national data set', () => {
  let h: Harness;
  let dir: string;
  let files: CsvFiles;

  const snapshot = async () => {
    const query = async (sql: string) => (await h.services.db.pool.query(sql)).rows;
    return {
      schools: await query('SELECT code, name, department, district, zone, attributes FROM schools ORDER BY code'),
      results: await query('SELECT school_code, grade, subject, level, score FROM school_results ORDER BY 1, 2, 3'),
      contacts: await query('SELECT phone, name, role, language, channel, school_code, department, district, grade, timezone, attributes FROM contacts ORDER BY phone'),
    };
  };

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    dir = await mkdtemp(path.join(tmpdir(), 'campana-national-'));
    files = await writeNationalCsv(dir, OPTIONS);
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports from its CSV files to exactly what loading it directly gives', async () => {
    for (const [url, file] of [['/v1/schools/import', files.schools], ['/v1/schools/results/import', files.results]] as const) {
      const { status, body } = await uploadCsv(h, url, await readFile(file));
      expect(status).toBe(200);
      expect(body.rejected).toEqual([]);
    }
    const contacts = await uploadCsv(h, '/v1/contacts/import', await readFile(files.contacts));
    expect(contacts.status).toBe(200);
    const generated = [...generateContacts(generateSchools(OPTIONS), OPTIONS)];
    const unusable = generated.filter((c) => !c.e164);
    expect(unusable.length).toBeGreaterThan(0);
    expect(contacts.body.rejected).toHaveLength(unusable.length);
    for (const rejection of contacts.body.rejected) expect(rejection.reason).toMatch(/landline|not a valid number/);
    const imported = await snapshot();

    await h.services.db.pool.query('TRUNCATE contacts, school_results, schools CASCADE');
    await loadNational(h.services.db.pool, OPTIONS);
    expect(await snapshot()).toEqual(imported);
    expect(imported.contacts).toHaveLength(generated.length - unusable.length);
  });

  it('covers every department, both zones, both languages, both channels, every role, and results for every school', async () => {
    const { schools, results, contacts } = await snapshot();
    expect(new Set(schools.map((s) => s.department))).toEqual(new Set(DEPARTMENTS.map((d) => d.code)));
    for (const s of schools) expect(s.district).toMatch(new RegExp(`^${s.department}\\d{2}$`));
    expect(new Set(schools.map((s) => s.zone))).toEqual(new Set(['urban', 'rural']));
    expect(new Set(results.map((r) => r.school_code))).toEqual(new Set(schools.map((s) => s.code)));
    for (const r of results) expect(r.score).toBeGreaterThanOrEqual(380);
    expect(new Set(contacts.map((c) => c.language))).toEqual(new Set(['es', 'gn']));
    expect(new Set(contacts.map((c) => c.channel))).toEqual(new Set(['whatsapp', 'sms']));
    expect(new Set(contacts.map((c) => c.role))).toEqual(new Set(['parent', 'teacher', 'director', 'supervisor', 'official']));
  });

  it('writes phones the many ways people write them', async () => {
    const phones = (await readFile(files.contacts, 'utf8')).split('\n').slice(1, -1).map((line) => line.split(',')[0]!);
    for (const form of [/^0\d{3} \d{3} \d{3}$/, /^0\d{3}-\d{6}$/, /^595\d{9}$/, /^\+595 \d{3} \d{6}$/, /^00595\d{9}$/, /^\(0\d{3}\) \d{3}[ -]\d{3}$/]) {
      expect(phones.some((phone) => form.test(phone))).toBe(true);
    }
  });

  it('is the same for the same seed, and another for another seed', () => {
    const names = (seed: number) => generateSchools({ scale: 0.002, seed }).map((s) => s.name);
    expect(names(7)).toEqual(names(7));
    expect(names(8)).not.toEqual(names(7));
  });
});
