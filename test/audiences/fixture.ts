/**
 * A small roster whose every count is known: three schools (one without results), contacts of every role,
 * language and channel, some opted out. Tests compute what they expect from this list with plain array
 * filters, independently of the SQL under test.
 */
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';
import { csv, uploadCsv } from '../imports/upload.js';

export type FixtureSchool = { code: string; department: string; district: string; zone: 'urban' | 'rural'; results: Array<{ grade: number; subject: string }> };
export type FixtureContact = {
  phone: string;
  name: string | null;
  role: string;
  language: 'es' | 'gn';
  channel: 'whatsapp' | 'sms';
  school: FixtureSchool | null;
  grade: number | null;
  estudiante: string | null;
  optedOut: boolean;
};

export const SCHOOLS: FixtureSchool[] = [
  { code: '300001', department: '11', district: '1104', zone: 'urban', results: [{ grade: 3, subject: 'math' }, { grade: 3, subject: 'spanish' }] },
  { code: '300002', department: '07', district: '0701', zone: 'rural', results: [{ grade: 3, subject: 'math' }] },
  { code: '300003', department: '01', district: '0101', zone: 'rural', results: [] },
];

const ROLES = ['parent', 'parent', 'parent', 'teacher', 'director', 'supervisor', 'official'];

export const CONTACTS: FixtureContact[] = Array.from({ length: 42 }, (_, i) => {
  const role = ROLES[i % ROLES.length]!;
  const school = ['supervisor', 'official'].includes(role) ? null : SCHOOLS[i % SCHOOLS.length]!;
  return {
    phone: `+5959910${String(i).padStart(5, '0')}`,
    name: i % 5 === 0 ? null : `Contacto ${i}`,
    role,
    language: i % 3 === 0 ? 'gn' : 'es',
    channel: i % 4 === 0 ? 'sms' : 'whatsapp',
    school,
    grade: role === 'parent' ? [3, 6, 9][i % 3]! : null,
    estudiante: role === 'parent' && i % 2 === 0 ? `Estudiante ${i}` : null,
    optedOut: i % 7 === 3,
  };
});

/** A fresh database holding the fixture, and the service (without workers) over it. */
export async function startWithFixture(): Promise<Harness> {
  await resetDatabase();
  const h = await startHarness({ workers: false });
  await loadFixture(h);
  return h;
}

async function loadFixture(h: Harness): Promise<void> {
  for (const school of SCHOOLS) await h.api('POST', '/v1/schools', { code: school.code, name: `Escuela ${school.code}`, department: school.department, district: school.district, zone: school.zone });
  const results = SCHOOLS.flatMap((s) => s.results.map((r) => [s.code, String(r.grade), r.subject, 'II', '450']));
  await uploadCsv(h, '/v1/schools/results/import', csv([['school_code', 'grade', 'subject', 'level', 'score'], ...results]));
  const rows = CONTACTS.map((c) => [c.phone, c.name ?? '', c.role, c.language, c.channel, c.school?.code ?? '', c.school ? '' : '00', c.school ? '' : '0001', c.grade?.toString() ?? '', c.estudiante ?? '']);
  const imported = await uploadCsv(h, '/v1/contacts/import', csv([['phone', 'name', 'role', 'language', 'channel', 'schoolCode', 'department', 'district', 'grade', 'attr_estudiante'], ...rows]));
  if (imported.body.created !== CONTACTS.length) throw new Error(`fixture import: ${JSON.stringify(imported.body)}`);
  await h.services.db.pool.query('UPDATE contacts SET opted_out = true WHERE phone = ANY($1)', [CONTACTS.filter((c) => c.optedOut).map((c) => c.phone)]);
}

export function departmentOf(contact: FixtureContact): string {
  return contact.school?.department ?? '00';
}

/** Counts of `contacts` by a key, as the preview's breakdowns show them. */
export function countBy(contacts: FixtureContact[], key: (c: FixtureContact) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const contact of contacts) counts[key(contact)] = (counts[key(contact)] ?? 0) + 1;
  return counts;
}

/** Whether a contact's school has a result for this grade and subject. */
export function hasResult(grade: number, subject: string): (contact: FixtureContact) => boolean {
  return (contact) => !!contact.school?.results.some((r) => r.grade === grade && r.subject === subject);
}
