/**
 * The national data set as the CSV files a ministry would upload (UTF-8, `,`): schools.csv, results.csv
 * and contacts.csv, in the formats of POST /v1/schools/import, /v1/schools/results/import and
 * /v1/contacts/import. Phones are written the many ways rosters write them, bad ones included; contacts
 * of a school leave department and district empty (the import takes them from the school).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { generateContacts, generateResults, generateSchools, type NationalOptions } from './generate.js';

export type CsvFiles = { schools: string; results: string; contacts: string; contactRows: number };

export async function writeNationalCsv(dir: string, options: NationalOptions): Promise<CsvFiles> {
  await mkdir(dir, { recursive: true });
  const files = { schools: path.join(dir, 'schools.csv'), results: path.join(dir, 'results.csv'), contacts: path.join(dir, 'contacts.csv') };
  const schools = generateSchools(options);
  await writeCsv(files.schools, ['code', 'name', 'department', 'district', 'zone', 'attr_sector'], schools.map((s) => [s.code, s.name, s.department, s.district, s.zone, s.sector]));
  await writeCsv(files.results, ['school_code', 'grade', 'subject', 'level', 'score'], (function* () {
    for (const r of generateResults(schools, options.seed)) yield [r.schoolCode, String(r.grade), r.subject, r.level, String(r.score)];
  })());
  let contactRows = 0;
  await writeCsv(
    files.contacts,
    ['phone', 'name', 'role', 'language', 'channel', 'school_code', 'department', 'district', 'grade', 'timezone', 'attr_turno', 'attr_estudiante'],
    (function* () {
      for (const c of generateContacts(schools, options)) {
        contactRows++;
        yield [c.phone, c.name, c.role, c.language, c.channel, c.schoolCode ?? '', c.department ?? '', c.district ?? '', c.grade?.toString() ?? '', c.timezone ?? '', c.attributes.turno ?? '', c.attributes.estudiante ?? ''];
      }
    })(),
  );
  return { ...files, contactRows };
}

/** Writes rows as they come, waiting for the disk when its buffer is full. */
async function writeCsv(file: string, header: string[], rows: Iterable<string[]>): Promise<void> {
  const out = createWriteStream(file);
  let buffer = csvLine(header);
  for (const row of rows) {
    buffer += csvLine(row);
    if (buffer.length < 256 * 1024) continue;
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  }
  out.end(buffer);
  await once(out, 'finish');
}

function csvLine(cells: string[]): string {
  return cells.map((cell) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',') + '\n';
}
