/** Schools and their assessment results: the JSON API and the two CSV imports, on the real database. */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv, uploadCsv } from '../imports/upload.js';
import { createUserKey, resetDatabase, startHarness, type Harness } from '../support/harness.js';

describe('schools', () => {
  let h: Harness;

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
  });
  afterAll(async () => h?.close());

  it('creates a school, then updates it by code, keeping what an update leaves out', async () => {
    const school = { code: '1104972', name: 'Escuela Básica Nº 4972 San Felipe', department: '11', district: '1104', zone: 'urban', attributes: { sector: 'oficial' } };
    const created = await h.api('POST', '/v1/schools', school);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(school);
    const updated = await h.api('POST', '/v1/schools', { code: '1104972', name: 'Escuela Básica Nº 4972 San Felipe Apóstol', department: '11', district: '1104', attributes: { turnos: 'mañana y tarde' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Escuela Básica Nº 4972 San Felipe Apóstol', zone: 'urban', attributes: { sector: 'oficial', turnos: 'mañana y tarde' } });
  });

  it('refuses a district outside its department, and a malformed code', async () => {
    expect((await h.api('POST', '/v1/schools', { code: '1', name: 'X', department: '11', district: '0701' })).body.message).toBe('district 0701 is not in department 11');
    expect((await h.api('POST', '/v1/schools', { code: 'a b', name: 'X', department: '11', district: '1101' })).status).toBe(400);
  });

  it('imports a schools file with ; separators (again: no change), and a Windows-1252 one', async () => {
    const text = [
      'code;name;department;district;zone;attr_sector',
      "200001;Escuela Básica Nº 512 Yvy Marãe'ỹ;7;701;RURAL;oficial",
      '200002;Colegio Nacional Ñu Guasu;07;0702;urbana;privada subvencionada',
      '200003;Escuela Básica Nº 12 Cerro Corá;01;0101;rural;oficial',
      '200004;Escuela Básica Nº 13 Ytororó;01;1101;rural;oficial',
      '200002;Colegio Nacional Ñu Guasu;07;0702;urbana;privada',
      '200005;Escuela Básica Nº 14;01;0102;costera;oficial',
    ].join('\r\n');
    // Guarani's ẽ and ỹ have no place in Windows-1252: a real export of this file would be UTF-8.
    const utf8 = Buffer.from(text);
    const first = await uploadCsv(h, '/v1/schools/import', utf8);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      importId: expect.any(Number),
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [
        { line: 3, reason: 'same code as line 6' },
        { line: 5, reason: 'district 1101 is not in department 01' },
        { line: 7, reason: 'unknown zone "costera" (known: urban, rural)' },
      ],
    });
    expect((await uploadCsv(h, '/v1/schools/import', utf8)).body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect((await h.api('GET', '/v1/schools/200001')).body).toMatchObject({ name: "Escuela Básica Nº 512 Yvy Marãe'ỹ", department: '07', district: '0701', zone: 'rural' });
    expect((await h.api('GET', '/v1/schools/200002')).body).toMatchObject({ zone: 'urban', attributes: { sector: 'privada' } });

    const latin1 = iconv.encode('code;name;department;district\r\n200003;Escuela Básica Nº 12 Cerro Corá «Niñez»;01;0101\r\n', 'windows-1252');
    expect((await uploadCsv(h, '/v1/schools/import', latin1, 'application/octet-stream')).body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect((await h.api('GET', '/v1/schools/200003')).body).toMatchObject({ name: 'Escuela Básica Nº 12 Cerro Corá «Niñez»', zone: 'rural' });
  });

  it('lists schools by department, district and zone, a page at a time', async () => {
    const codes = async (query: string) => (await h.api('GET', `/v1/schools?${query}`)).body;
    expect((await codes('department=07')).items.map((s: { code: string }) => s.code)).toEqual(['200001', '200002']);
    expect((await codes('zone=rural')).items.map((s: { code: string }) => s.code)).toEqual(['200001', '200003']);
    expect((await codes('district=0101')).items.map((s: { code: string }) => s.code)).toEqual(['200003']);
    const page = await codes('limit=2');
    expect(page).toMatchObject({ items: [{ code: '1104972' }, { code: '200001' }], nextAfter: '200001' });
    expect((await codes(`limit=2&after=${page.nextAfter}`)).items.map((s: { code: string }) => s.code)).toEqual(['200002', '200003']);
    expect((await h.api('GET', '/v1/schools/999')).status).toBe(404);
  });

  it('imports results, one row per school, grade and subject, shown as message bodies name them', async () => {
    const rows = [
      ['school_code', 'grade', 'subject', 'level', 'score'],
      ['200001', '3', 'math', 'II', '455.5'],
      ['200001', '3', 'guarani', 'III', '501,2'],
      ['200001', '6', 'Spanish', 'iv', '530'],
      ['999999', '3', 'math', 'I', '410'],
      ['200001', '5', 'math', 'I', '410'],
      ['200001', '3', 'math', 'V', '410'],
      ['200002', '12', 'math', 'I', 'mucho'],
      ['200001', '3', 'math', 'III', '470'],
    ];
    const { status, body } = await uploadCsv(h, '/v1/schools/results/import', csv(rows));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      created: 3,
      rejected: [
        { line: 2, reason: 'same school, grade and subject as line 9' },
        { line: 5, reason: 'unknown school code "999999"' },
        { line: 6, reason: 'grade 5 is not an assessed grade (3, 6, 9, 12)' },
        { line: 7, reason: 'unknown level "V" (known: I, II, III, IV)' },
        { line: 8, reason: 'score "mucho" is not a number from 0 to 1000' },
      ],
    });
    expect((await uploadCsv(h, '/v1/schools/results/import', csv(rows))).body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect((await h.api('GET', '/v1/schools/200001')).body.results).toEqual({
      grade3: { math: { level: 'III', score: 470 }, guarani: { level: 'III', score: 501.2 } },
      grade6: { spanish: { level: 'IV', score: 530 } },
    });
  });

  it('lets only those who may write schools import them', async () => {
    const viewer = await createUserKey(h.services.db.pool, 'viewer');
    const response = await fetch(`${h.baseUrl}/v1/schools/import`, { method: 'POST', headers: { authorization: `Bearer ${viewer}`, 'content-type': 'text/csv' }, body: 'code,name,department,district\n' });
    expect(response.status).toBe(403);
  });
});
