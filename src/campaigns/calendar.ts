/**
 * A campaign's steps as an iCalendar feed for communicators' calendars: one event per step at its send
 * time (UTC, so every calendar shows it in its own zone), tentative until approved, cancelled with the
 * step. The event's SEQUENCE is the campaign's version, so a calendar that imported an earlier version
 * replaces it.
 */
import { createEvents, type EventAttributes } from 'ics';
import type { StepContent } from './model.js';
import type { CampaignWithSteps } from './campaigns-store.js';

const EVENT_MINUTES = 30;
const PREVIEW_CHARACTERS = 300;

export function campaignCalendar(campaign: CampaignWithSteps, publicBaseUrl: string): string {
  const host = new URL(publicBaseUrl).host;
  const events: EventAttributes[] = campaign.steps.map((step) => ({
    uid: `campaign-${campaign.id}-step-${step.id}@${host}`,
    sequence: campaign.version,
    title: `${campaign.name} · step ${step.position}${step.week !== null ? ` (week ${step.week})` : ''}`,
    description: describe(step.content as StepContent),
    start: step.sendAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: EVENT_MINUTES },
    status: step.status === 'cancelled' ? 'CANCELLED' : campaign.status === 'draft' ? 'TENTATIVE' : 'CONFIRMED',
    categories: ['Campana'],
    calName: campaign.name,
    productId: 'campana/calendar',
  }));
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error('the calendar could not be written');
  return value;
}

function describe(content: StepContent): string {
  return Object.entries(content)
    .map(([language, text]) => `[${language}] ${text.body.length > PREVIEW_CHARACTERS ? `${text.body.slice(0, PREVIEW_CHARACTERS)}…` : text.body}`)
    .join('\n\n');
}
