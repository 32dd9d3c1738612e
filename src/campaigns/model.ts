/** Shapes of a campaign's JSON columns, shared by the API, the fan-out and the sender. */
import type { AudienceFilter } from '../audiences/filter.js';
import type { VerificationMode } from '../content/verification-line.js';
import type { CampaignSchedule } from './schedule.js';

export type StepContent = Record<string, { body: string; mediaUrl?: string }>;

export type WhatsappTemplate = { contentSid: string; variables: Record<string, string> };

export type CampaignOptions = {
  /** Language used for contacts whose language the step has no text for. */
  fallbackLanguage: string;
  /** Send by SMS when WhatsApp cannot reach a recipient (63003, 63016). */
  smsFallback: boolean;
  /** Text used for a merge field a recipient lacks; without one such recipients are skipped. */
  mergeFallbacks: Record<string, string>;
  /** What messages end with so that copies can be checked against the public archive. */
  verification: VerificationMode;
};

export const DEFAULT_OPTIONS: CampaignOptions = { fallbackLanguage: 'es', smsFallback: true, mergeFallbacks: {}, verification: 'none' };

export type CampaignRecord = {
  id: number;
  name: string;
  status: string;
  audience: AudienceFilter;
  segmentId: number | null;
  schedule: CampaignSchedule;
  options: CampaignOptions;
};
