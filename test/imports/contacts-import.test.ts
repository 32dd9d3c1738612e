/**
 * Importing contacts from CSV on the real database: phone formats, each kind of rejected row, idempotent
 * re-import, encodings and separators, and files refused whole.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, startHarness, type Harness } from '../support/harness.js';
import { csv, uploadCsv } from './upload.js';

const HEADER = ['phone', 'name', 'role', 'language', 'channel', 'school_code', 'department', 'district', 'grade', 'timezone'];

describe('POST /v1/contacts/import', () => {
  let h: Harness;
  const contacts = async () => (await h.services.db.pool.query('SELECT phone, name, role, language, channel, school_code, department, district, grade, timezone, attributes FROM contacts ORDER BY phone')).rows;
  const contactByPhone = async (phone: string) => (await contacts()).find((c) => c.phone === phone);

  beforeAll(async () => {
    await resetDatabase();
    h = await startHarness({ workers: false });
    for (const school of [
      { code: '100001', name: 'Escuela Básica Nº 4972 San Felipe', department: '11', district: '1104', zone: 'urban' },
      { code: '100002', name: "Escuela Básica Nº 512 Yvy Marãe'ỹ", department: '07', district: '0701', zone: 'rural' },
    ]) expect((await h.api('POST', '/v1/schools', school)).status).toBe(201);
  });
  afterAll(async () => h?.close());

  it('stores a Paraguayan mobile written in every common way as E.164', async () => {
    const written = ['0981 100 001', '0981-100002', '0981100003', '981100004', '595981100005', '+595 981 100006', '+595981100007', '00595981100008', '(0981) 100 009', '(0981) 100-010', '0981-100-011'];
    const { status, body } = await uploadCsv(h, '/v1/contacts/import', csv([['phone', 'role'], ...written.map((phone) => [phone, 'parent'])]));
    expect(status).toBe(200);
    expect(body).toMatchObject({ created: written.length, updated: 0, unchanged: 0, rejected: [] });
    expect((await contacts()).map((c) => c.phone)).toEqual(written.map((_, i) => `+595981100${String(i + 1).padStart(3, '0')}`));
  });

  it('rejects each kind of bad row with its line and reason, and imports every other row whole', async () => {
    const file = csv([
      HEADER,
      ['0982 200 001', 'Ana', 'parent', 'es', 'whatsapp', '100001', '', '', '3', ''], // 2: good
      ['021 123456', 'Línea fija', 'parent', '', '', '', '', '', '', ''], // 3
      ['981 12', 'Corto', 'parent', '', '', '', '', '', '', ''], // 4
      ['0982 200 004', 'Abuela', 'abuela', '', '', '', '', '', '', ''], // 5
      ['0982 200 005', 'Sin escuela', 'parent', '', '', '999999', '', '', '', ''], // 6
      ['0982 200 006', 'Portugués', 'parent', 'pt', '', '', '', '', '', ''], // 7
      ['0982 200 007', 'Marte', 'parent', '', '', '', '', '', '', 'Mars/Olympus'], // 8
      ['0982 200 008', 'Corta', 'parent'], // 9
      ['0982-200-009', 'Rosa (primera vez)', 'parent', '', '', '', '', '', '', ''], // 10: superseded by 13
      ['0982 200 010', 'Telegram', 'parent', '', 'telegram', '', '', '', '', ''], // 11
      ['0982 200 011', 'Grado', 'parent', '', '', '', '', '', 'tercero', ''], // 12
      ['0982 200 009', 'Rosa', 'teacher', 'gn', 'sms', '100002', '', '', '', ''], // 13: good, wins over 10
      ['0982 200 012', 'Lejos', 'supervisor', '', '', '', '11', '0701', '', ''], // 14
      ['', 'Sin teléfono', 'parent', '', '', '', '', '', '', ''], // 15
    ]);
    const before = (await contacts()).length;
    const { status, body } = await uploadCsv(h, '/v1/contacts/import', file);
    expect(status).toBe(200);
    expect(body.rejected).toEqual([
      { line: 3, reason: 'phone "021 123456": landline: cannot receive WhatsApp or SMS' },
      { line: 4, reason: 'phone "981 12": too short' },
      { line: 5, reason: 'unknown role "abuela" (known: parent, teacher, director, supervisor, official)' },
      { line: 6, reason: 'unknown school code "999999"' },
      { line: 7, reason: 'unknown language "pt" (known: es, gn)' },
      { line: 8, reason: 'unknown time zone "Mars/Olympus"' },
      { line: 9, reason: '3 fields where the header has 10' },
      { line: 10, reason: 'same phone as line 13' },
      { line: 11, reason: 'unknown channel "telegram" (known: whatsapp, sms)' },
      { line: 12, reason: 'grade "tercero" is not a whole number' },
      { line: 14, reason: 'district 0701 is not in department 11' },
      { line: 15, reason: 'no phone' },
    ]);
    expect(body).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect((await contacts()).length).toBe(before + 2);
    expect(await contactByPhone('+595982200009')).toMatchObject({ name: 'Rosa', role: 'teacher', language: 'gn', channel: 'sms', school_code: '100002' });
    expect(await contactByPhone('+595982200005')).toBeUndefined();
  });

  it('takes department and district from the school, and reads Spanish role words', async () => {
    const { body } = await uploadCsv(h, '/v1/contacts/import', csv([['phone', 'role', 'schoolCode'], ['0983 300 001', 'Docente', '100002'], ['0983 300 002', 'madre', '100001']]));
    expect(body).toMatchObject({ created: 2, rejected: [] });
    expect(await contactByPhone('+595983300001')).toMatchObject({ role: 'teacher', department: '07', district: '0701', language: 'es', channel: 'whatsapp', timezone: 'America/Asuncion' });
    expect(await contactByPhone('+595983300002')).toMatchObject({ role: 'parent', department: '11', district: '1104' });
  });

  it('changes nothing when the same file comes again, and counts exactly what a changed file changes', async () => {
    const rows = [['phone', 'name', 'role', 'attr_turno'], ['0984 400 001', 'Carlos', 'teacher', 'mañana'], ['0984 400 002', 'Lucía', 'teacher', 'tarde'], ['0984 400 003', 'Pedro', 'teacher', '']];
    expect((await uploadCsv(h, '/v1/contacts/import', csv(rows))).body).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: [] });
    expect((await uploadCsv(h, '/v1/contacts/import', csv(rows))).body).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: [] });

    const changed = [rows[0]!, ['0984 400 001', 'Carlos Benítez', 'teacher', 'mañana'], ['0984 400 002', '', 'teacher', ''], ['0984 400 003', 'Pedro', 'teacher', 'noche'], ['0984 400 004', 'Rosa', 'teacher', '']];
    expect((await uploadCsv(h, '/v1/contacts/import', csv(changed))).body).toMatchObject({ created: 1, updated: 2, unchanged: 1, rejected: [] });
    // An empty cell keeps what the contact had.
    expect(await contactByPhone('+595984400002')).toMatchObject({ name: 'Lucía', attributes: { turno: 'tarde' } });
    expect(await contactByPhone('+595984400003')).toMatchObject({ attributes: { turno: 'noche' } });
  });

  it('reads a Windows-1252 export with ; separators, snake_case columns and attributes, every letter intact', async () => {
    const text = 'phone;name;role;school_code;attr_observacion\r\n0985 500 001;José Ñandutí Peña;padre;100001;Niño con beca “Aguyje”\r\n0985 500 002;María Güemes;madre;100001;€ pagado\r\n';
    const { status, body } = await uploadCsv(h, '/v1/contacts/import', iconv.encode(text, 'windows-1252'), 'application/octet-stream');
    expect(status).toBe(200);
    expect(body).toMatchObject({ created: 2, rejected: [] });
    expect(await contactByPhone('+595985500001')).toMatchObject({ name: 'José Ñandutí Peña', role: 'parent', attributes: { observacion: 'Niño con beca “Aguyje”' } });
    expect(await contactByPhone('+595985500002')).toMatchObject({ name: 'María Güemes', attributes: { observacion: '€ pagado' } });
  });

  it('reads UTF-8 with a byte order mark, Guarani letters arriving intact and in NFC', async () => {
    const greeting = "Mba'éichapa, ã ẽ ĩ õ ũ ỹ g̃";
    const decomposed = greeting.normalize('NFD');
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv([['Phone', 'Name', 'Role', 'Language', 'attributes.saludo'], ['0986 600 001', 'Yerutí Ñamandú', 'parent', 'gn', decomposed]]))]);
    expect((await uploadCsv(h, '/v1/contacts/import', file)).body).toMatchObject({ created: 1, rejected: [] });
    const contact = await contactByPhone('+595986600001');
    expect(contact).toMatchObject({ name: 'Yerutí Ñamandú', language: 'gn', attributes: { saludo: greeting } });
    expect(contact.attributes.saludo).toBe(greeting.normalize('NFC'));
  });

  it('refuses a file without a required column, listing the columns expected, and stores nothing', async () => {
    const before = (await contacts()).length;
    const { status, body } = await uploadCsv(h, '/v1/contacts/import', csv([['telefono', 'name'], ['0987 700 001', 'Ana']]));
    expect(status).toBe(400);
    expect(body.message).toBe('the header does not fit a contacts file: missing required columns phone, role; unknown column "telefono"');
    expect(body.details.expected).toMatchObject({ required: ['phone', 'role'], optional: expect.arrayContaining(['name', 'schoolCode', 'timezone']) });
    expect((await contacts()).length).toBe(before);
    const { rows } = await h.services.db.pool.query(`SELECT status, error FROM imports ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ status: 'failed', error: body.message });
  });

  it('applies none of the rows of a file that stops being CSV halfway', async () => {
    const before = (await contacts()).length;
    const { status, body } = await uploadCsv(h, '/v1/contacts/import', 'phone,role,name\n0987 700 002,parent,Ana\n0987 700 003,parent,"Rosa\n');
    expect(status).toBe(400);
    expect(body.message).toMatch(/a quote is opened and never closed/);
    expect((await contacts()).length).toBe(before);
  });

  it('refuses an empty file and a body that is not a file', async () => {
    expect(await uploadCsv(h, '/v1/contacts/import', '')).toMatchObject({ status: 400, body: { message: 'the file is empty' } });
    expect((await uploadCsv(h, '/v1/contacts/import', '{"phone":"0981"}', 'application/json')).status).toBe(415);
  });
});
