/** Shapes of a campaign's JSON columns, shared by the API, the fan-out and the sender. */
import type { VerificationMode } from '../content/verification-line.js';

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
  /** When the WhatsApp sender's daily recipient cap is reached: wait for the window (defer) or use SMS. */
  whatsappCapPolicy: WhatsappCapPolicy;
};

export const WHATSAPP_CAP_POLICIES = ['defer', 'sms'] as const;
export type WhatsappCapPolicy = (typeof WHATSAPP_CAP_POLICIES)[number];

export const DEFAULT_OPTIONS: CampaignOptions = { fallbackLanguage: 'es', smsFallback: true, mergeFallbacks: {}, verification: 'none', whatsappCapPolicy: 'defer' };
