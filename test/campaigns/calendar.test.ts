import { describe, expect, it } from 'vitest';
import { campaignCalendar } from '../../src/campaigns/calendar.js';
import type { CampaignWithSteps } from '../../src/campaigns/campaigns-store.js';

function campaign(status: CampaignWithSteps['status']): CampaignWithSteps {
  const now = new Date('2027-02-01T12:00:00Z');
  const step = (id: number, position: number, sendAt: string, stepStatus: CampaignWithSteps['steps'][number]['status']) => ({
    id,
    campaignId: 4,
    position,
    week: position,
    requestedSendAt: null,
    sendAt: new Date(sendAt),
    content: { es: { body: `Semana ${position}: resultados` }, gn: { body: `Arapokõindy ${position}` } },
    whatsappTemplate: null,
    status: stepStatus,
    createdAt: now,
    updatedAt: now,
    runs: [],
  });
  return {
    id: 4,
    name: 'Resultados, 2027',
    status,
    audience: {},
    segmentId: null,
    schedule: { timezone: 'America/Asuncion' },
    options: {},
    authorId: 1,
    approvedById: null,
    approvedAt: null,
    version: 3,
    createdAt: now,
    updatedAt: now,
    steps: [step(10, 1, '2027-03-01T12:00:00Z', 'pending'), step(11, 2, '2027-03-08T12:00:00Z', 'cancelled')],
  };
}

describe('a campaign as an iCalendar feed', () => {
  it('has one event per step at its UTC send time, versioned by the campaign version', () => {
    const ics = campaignCalendar(campaign('scheduled'), 'https://campana.example.org');
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain('UID:campaign-4-step-10@campana.example.org');
    expect(ics).toContain('DTSTART:20270301T120000Z');
    expect(ics).toContain('DTSTART:20270308T120000Z');
    expect(ics).toContain('SEQUENCE:3');
    expect(ics).toMatch(/SUMMARY:Resultados\\, 2027 · step 1 \(week 1\)/);
    expect(ics).toContain('STATUS:CONFIRMED');
    expect(ics).toContain('STATUS:CANCELLED');
  });

  it('marks a draft’s steps tentative', () => {
    expect(campaignCalendar(campaign('draft'), 'https://campana.example.org')).toContain('STATUS:TENTATIVE');
  });
});
