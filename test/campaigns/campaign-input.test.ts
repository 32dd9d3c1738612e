import { describe, expect, it } from 'vitest';
import { CampaignInputError, checkCampaign, type CampaignBody } from '../../src/campaigns/campaign-input.js';

const rules = { languages: ['es', 'gn'], defaultTimezone: 'America/Asuncion', timing: { quietHours: null, blackoutDates: [] } };
const base: CampaignBody = {
  name: 'Resultados 2027',
  schedule: { startDate: '2027-03-01', sendTime: '09:00' },
  steps: [{ week: 1, content: { es: { body: 'Hola {{contact.name}}' }, gn: { body: "Mba'éichapa {{contact.name}}" } } }],
};

function problems(body: CampaignBody): string[] {
  try {
    checkCampaign(body, rules);
    return [];
  } catch (err) {
    if (err instanceof CampaignInputError) return err.problems;
    throw err;
  }
}

describe('checking a campaign before it is stored', () => {
  it('computes each step’s instant in the campaign zone', () => {
    const checked = checkCampaign({ ...base, steps: [...base.steps, { week: 4, content: { es: { body: 'Semana 4' } } }] }, rules);
    expect(checked.steps.map((s) => s.sendAt.toISOString())).toEqual(['2027-03-01T12:00:00.000Z', '2027-03-22T12:00:00.000Z']);
    expect(checked.options).toEqual({ fallbackLanguage: 'es', smsFallback: true, mergeFallbacks: {}, verification: 'none', whatsappCapPolicy: 'defer' });
  });

  it('names every unknown merge field with its step and language', () => {
    expect(
      problems({
        ...base,
        steps: [
          { week: 1, content: { es: { body: 'Hola {{contact.nombre}}' } } },
          { week: 2, content: { es: { body: 'ok' } }, whatsappTemplate: { contentSid: `HX${'a'.repeat(32)}`, variables: { '1': '{{school.nme}}' } } },
        ],
      }),
    ).toEqual(['steps[0].content.es.body: unknown field {{contact.nombre}}', 'steps[1].whatsappTemplate.variables.1: unknown field {{school.nme}}']);
  });

  it('refuses steps timed twice or not at all, missing fallback text, unknown languages and zones', () => {
    expect(problems({ ...base, steps: [{ week: 1, sendAt: '2027-03-01T10:00:00Z', content: { es: { body: 'x' } } }] })).toEqual(['steps[0]: give either week or sendAt']);
    expect(problems({ ...base, steps: [{ content: { es: { body: 'x' } } }] })).toEqual(['steps[0]: give either week or sendAt']);
    expect(problems({ ...base, steps: [{ week: 1, content: { gn: { body: 'x' } } }] })).toEqual(['steps[0].content: the text in es (the fallback language) is required']);
    expect(problems({ ...base, steps: [{ week: 1, content: { es: { body: 'x' }, pt: { body: 'y' } } }] })).toEqual(['steps[0].content.pt: unknown language (known: es, gn)']);
    expect(problems({ ...base, schedule: { ...base.schedule!, timezone: 'Mars/Olympus' } })).toEqual(['schedule.timezone: unknown time zone "Mars/Olympus"']);
    expect(problems({ name: 'x', steps: [{ week: 1, content: { es: { body: 'x' } } }] })).toEqual(['steps[0]: a step given by week needs schedule (startDate, sendTime)']);
    expect(problems({ ...base, steps: [{ sendAt: '2027-03-01T10:00', content: { es: { body: 'x' } } }] })[0]).toMatch(/offset/);
  });
});
