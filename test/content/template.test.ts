import { describe, expect, it } from 'vitest';
import { fieldsIn, render, templateProblems, type MergeContext } from '../../src/content/template.js';

const context: MergeContext = {
  contact: { name: 'Ñandutí Benítez', grade: 3, attributes: { child: 'Mateo', empty: '' } },
  school: { name: 'Escuela Básica Nº 4972 San Felipe', attributes: {}, results: { grade3: { math: { level: 'III', score: 512.4 } } } },
  campaign: { name: 'Censo 2027' },
};

describe('merge fields', () => {
  it('fills contact, attribute, school and result fields', () => {
    const out = render('Hola {{contact.name}} ({{ contact.attributes.child }}): {{school.name}} nivel {{school.results.grade3.math.level}} ({{school.results.grade3.math.score}})', context);
    expect(out).toEqual({ text: 'Hola Ñandutí Benítez (Mateo): Escuela Básica Nº 4972 San Felipe nivel III (512.4)', missing: [] });
  });

  it('reports fields a recipient lacks, and uses a fallback text where one is given', () => {
    expect(render('{{contact.attributes.empty}}|{{school.results.grade6.math.level}}', context).missing).toEqual(['contact.attributes.empty', 'school.results.grade6.math.level']);
    expect(render('Hola {{contact.attributes.tutor}}', context, { 'contact.attributes.tutor': 'familia' }).text).toBe('Hola familia');
    expect(render('{{school.name}}', { contact: { attributes: {} }, school: null }).missing).toEqual(['school.name']);
  });

  it('never renders a value twice, so contact data cannot inject fields', () => {
    const hostile = { contact: { name: '{{campaign.name}} <script>', attributes: {} }, campaign: { name: 'secret' } };
    expect(render('Hola {{contact.name}}', hostile).text).toBe('Hola {{campaign.name}} <script>');
  });

  it('refuses objects as values (a path that stops too early) and inherited properties', () => {
    expect(render('{{school.results.grade3}}', context).missing).toEqual(['school.results.grade3']);
    expect(render('{{contact.attributes.constructor}}{{contact.attributes.toString}}', context).missing).toEqual(['contact.attributes.constructor', 'contact.attributes.toString']);
  });

  it('lists unknown fields and stray braces', () => {
    expect(templateProblems('Hola {{contact.name}}')).toEqual([]);
    expect(templateProblems('Hola {{contact.nmae}} {{school.results.grade4.math.level}}')).toEqual(['unknown field {{contact.nmae}}', 'unknown field {{school.results.grade4.math.level}}']);
    expect(templateProblems('Hola {{ contact.name }')).toEqual(['unmatched {{ or }}']);
    expect(templateProblems('{{constructor.prototype}} {{__proto__}}')).toEqual(['unknown field {{constructor.prototype}}', 'unknown field {{__proto__}}']);
    expect(fieldsIn('{{a}} {{a}} {{ b }}')).toEqual(['a', 'b']);
  });
});
