import { describe, expect, it } from 'vitest';
import { describeAudience } from '../../src/archive/audience-description.js';
import { CODE_ALPHABET, CODE_LENGTH, newCode, parseCode } from '../../src/archive/codes.js';
import { escapeHtml, html } from '../../src/archive/html.js';
import { templatePieces } from '../../src/archive/template-pieces.js';
import { analyzeSms } from '../../src/content/sms.js';

describe('verification codes', () => {
  it('are five characters without look-alikes, all GSM-7', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OILUV]/);
    expect(analyzeSms(CODE_ALPHABET).encoding).toBe('GSM-7');
    let i = 0;
    expect(newCode(() => i++)).toBe('23456');
    for (let n = 0; n < 200; n++) expect(newCode()).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
  });

  it('are read as typed, in any case, and refused when they cannot be one', () => {
    expect(parseCode(' k7q2m ')).toBe('K7Q2M');
    expect(parseCode('K7Q2O')).toBeNull();
    expect(parseCode('K7Q2')).toBeNull();
  });
});

describe('the audience as the public archive describes it', () => {
  it('names roles, departments, grades, languages and channels in Spanish, without any contact', () => {
    expect(describeAudience({ roles: ['parent', 'teacher'], departments: ['11', '00'], grades: [3, 6], languages: ['gn'], channels: ['whatsapp'] })).toBe(
      'Familias y docentes · Central y Asunción · grados 3 y 6 · guaraní · WhatsApp',
    );
    expect(describeAudience({})).toBe('Todos los destinatarios · todo el país');
    expect(describeAudience({ schoolCodes: ['1', '2', '3', '4'] }, 'Escuelas piloto')).toBe('Todos los destinatarios · todo el país · 4 instituciones · segmento «Escuelas piloto»');
  });
});

describe('public HTML', () => {
  it('escapes every value it is given', () => {
    expect(html`<p title="${'"x"'}">${'<script>alert(1)</script>'}</p>`.value).toBe('<p title="&quot;x&quot;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(escapeHtml(`a&b'c`)).toBe('a&amp;b&#39;c');
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
  });

  it('cuts a body into text and merge fields', () => {
    expect(templatePieces('Hola {{ contact.name }}, {{school.name}}!')).toEqual([{ text: 'Hola ' }, { field: 'contact.name' }, { text: ', ' }, { field: 'school.name' }, { text: '!' }]);
  });
});
