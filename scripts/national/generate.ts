/**
 * A synthetic but realistic Paraguay, the same for the same seed: schools in every district (more and
 * smaller ones where the country is rural), their assessment results, and their people: a director per
 * school, teachers, parents, district supervisors and a few ministry officials. Guarani is spoken more in
 * rural areas, where SMS is also more common than WhatsApp. At scale 1: about 8,000 schools, 60,000
 * teachers, 300 supervisors and 1,000,000 parents.
 */
import { DEPARTMENTS, districtCode, type Department } from './departments.js';
import { FIRST_NAMES, SCHOOL_PATRONS, SHIFTS, SURNAMES } from './names.js';
import { writtenPhone } from './phones.js';
import { apportion, Random } from './random.js';

export type NationalOptions = { scale: number; seed: number };

type SchoolKind = 'basica' | 'colegio' | 'centro';

export type NationalSchool = {
  code: string;
  name: string;
  department: string;
  district: string;
  zone: 'urban' | 'rural';
  sector: string;
  kind: SchoolKind;
  enrolment: number;
};

export type NationalResult = { schoolCode: string; grade: number; subject: string; level: string; score: number };

export type NationalContact = {
  /** As the roster writes it; `e164` is null for a number an import rejects. */
  phone: string;
  e164: string | null;
  name: string;
  role: 'parent' | 'teacher' | 'director' | 'supervisor' | 'official';
  language: 'es' | 'gn';
  channel: 'whatsapp' | 'sms';
  schoolCode: string | null;
  /** Given only for contacts without a school; the others take their school's. */
  department: string | null;
  district: string | null;
  grade: number | null;
  timezone: string | null;
  attributes: Record<string, string>;
};

export const SCALE_ONE = { schools: 8_000, teachers: 60_000, supervisors: 300, officials: 25, parents: 1_000_000 };
export const SUBJECTS = ['math', 'spanish', 'guarani'];

// Grades each kind of school teaches, and the assessed ones among them.
const GRADES: Record<SchoolKind, number[]> = { basica: [1, 2, 3, 4, 5, 6, 7, 8, 9], colegio: [7, 8, 9, 10, 11, 12], centro: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] };
const ASSESSED = [3, 6, 9, 12];
const SECTORS = ['oficial', 'oficial', 'oficial', 'oficial', 'oficial', 'oficial', 'oficial', 'oficial', 'privada', 'privada subvencionada'];

// One parent in 500 shares a phone with another, further back than any load batch (a family with two children).
const SHARED_PHONE_RATE = 0.002;
const SHARED_PHONE_DISTANCE = 20_011;

export function countsAt(scale: number) {
  return {
    schools: Math.max(DEPARTMENTS.length, Math.round(SCALE_ONE.schools * scale)),
    teachers: Math.max(1, Math.round(SCALE_ONE.teachers * scale)),
    supervisors: Math.max(DEPARTMENTS.length, Math.round(SCALE_ONE.supervisors * scale)),
    officials: Math.max(1, Math.round(SCALE_ONE.officials * scale)),
    parents: Math.max(1, Math.round(SCALE_ONE.parents * scale)),
  };
}

export function generateSchools({ scale, seed }: NationalOptions): NationalSchool[] {
  const rng = new Random(seed);
  const counts = countsAt(scale);
  // Every department has a school, whatever the scale; rural areas have more, smaller ones per inhabitant.
  const perDepartment = apportion(counts.schools - DEPARTMENTS.length, DEPARTMENTS.map((d) => d.population * (1 + 2 * d.rural))).map((n) => n + 1);
  const schools: NationalSchool[] = [];
  DEPARTMENTS.forEach((department, d) => {
    for (let i = 0; i < perDepartment[d]!; i++) schools.push(school(rng, department, schools.length));
  });
  return schools;
}

function school(rng: Random, department: Department, index: number): NationalSchool {
  const districtIndex = rng.int(0, department.districts.length - 1);
  const zone = rng.chance(department.rural) ? 'rural' : 'urban';
  const kind: SchoolKind = zone === 'rural' ? (rng.chance(0.85) ? 'basica' : 'centro') : rng.pick(['basica', 'basica', 'colegio', 'centro'] as const);
  const number = 1000 + ((index * 7907) % 9000);
  const patron = rng.chance(0.2) ? department.districts[districtIndex]! : rng.pick(SCHOOL_PATRONS);
  const name = kind === 'basica' ? `Escuela Básica Nº ${number} ${patron}` : kind === 'colegio' ? `Colegio Nacional ${patron}` : `Centro Educativo Nº ${number} ${patron}`;
  return {
    code: String(100_001 + index),
    name,
    department: department.code,
    district: districtCode(department, districtIndex),
    zone,
    sector: rng.pick(SECTORS),
    kind,
    enrolment: zone === 'rural' ? rng.int(15, 160) : rng.int(80, 600),
  };
}

/** Every school's results: its assessed grades × the three subjects, scale scores around 400–550. */
export function* generateResults(schools: NationalSchool[], seed: number): Generator<NationalResult> {
  const rng = new Random(seed + 1);
  for (const school of schools) {
    const base = 470 + (school.zone === 'urban' ? 12 : -12) + (school.sector === 'oficial' ? 0 : 25);
    for (const grade of GRADES[school.kind].filter((g) => ASSESSED.includes(g))) {
      for (const subject of SUBJECTS) {
        const score = Math.round(Math.min(560, Math.max(380, rng.normal(base, 30))) * 10) / 10;
        yield { schoolCode: school.code, grade, subject, level: levelOf(score), score };
      }
    }
  }
}

function levelOf(score: number): string {
  return score < 430 ? 'I' : score < 470 ? 'II' : score < 510 ? 'III' : 'IV';
}

/** Every contact, officials and supervisors first, then each school's director, teachers and parents. */
export function* generateContacts(schools: NationalSchool[], { scale, seed }: NationalOptions): Generator<NationalContact> {
  const rng = new Random(seed + 2);
  const counts = countsAt(scale);
  let phoneIndex = 0;
  const person = (role: NationalContact['role'], rural: boolean, place: Pick<NationalContact, 'schoolCode' | 'department' | 'district' | 'grade'>, attributes: Record<string, string> = {}): NationalContact => {
    const phone = writtenPhone(phoneIndex++, seed, rng);
    return {
      phone: phone.written,
      e164: phone.e164,
      name: fullName(rng),
      role,
      language: rng.chance(rural ? 0.6 : 0.25) ? 'gn' : 'es',
      channel: rng.chance(rural ? 0.35 : 0.15) ? 'sms' : 'whatsapp',
      timezone: phone.timezone,
      attributes,
      ...place,
    };
  };

  for (let i = 0; i < counts.officials; i++) yield person('official', false, { schoolCode: null, department: '00', district: '0001', grade: null });
  const supervisors = apportion(counts.supervisors, DEPARTMENTS.map((d) => schools.filter((s) => s.department === d.code).length));
  for (const [d, department] of DEPARTMENTS.entries()) {
    for (let i = 0; i < supervisors[d]!; i++) {
      const district = districtCode(department, rng.int(0, department.districts.length - 1));
      yield person('supervisor', rng.chance(department.rural), { schoolCode: null, department: department.code, district, grade: null });
    }
  }

  const teachers = apportion(counts.teachers, schools.map((s) => s.enrolment));
  const parents = apportion(counts.parents, schools.map((s) => s.enrolment));
  const recentParents: NationalContact[] = [];
  let parentCount = 0;
  for (const [i, school] of schools.entries()) {
    const rural = school.zone === 'rural';
    const at = { schoolCode: school.code, department: null, district: null };
    yield person('director', rural, { ...at, grade: null });
    for (let t = 0; t < teachers[i]!; t++) yield person('teacher', rural, { ...at, grade: rng.chance(0.7) ? rng.pick(GRADES[school.kind]) : null }, { turno: rng.pick(SHIFTS) });
    for (let p = 0; p < parents[i]!; p++) {
      const parent = person('parent', rural, { ...at, grade: rng.pick(GRADES[school.kind]) }, { estudiante: rng.pick(FIRST_NAMES) });
      const shared = parentCount >= SHARED_PHONE_DISTANCE && rng.chance(SHARED_PHONE_RATE) ? recentParents[parentCount % SHARED_PHONE_DISTANCE]! : undefined;
      recentParents[parentCount++ % SHARED_PHONE_DISTANCE] = parent;
      yield shared ? { ...parent, phone: shared.phone, e164: shared.e164, timezone: shared.timezone } : parent;
    }
  }
}

function fullName(rng: Random): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)} ${rng.pick(SURNAMES)}`;
}
