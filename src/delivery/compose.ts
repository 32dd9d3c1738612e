/**
 * What one recipient gets for one step: the text in their language (or the campaign's fallback
 * language), merge fields filled, and for WhatsApp the template and its variables when the step has one.
 * A recipient who lacks a merge field without a fallback text gets nothing: a broken message is worse
 * than none.
 */
import type { StepContent, WhatsappTemplate } from '../campaigns/model.js';
import { smsSegments } from '../content/sms.js';
import { render, type MergeContext } from '../content/template.js';
import { stepVerificationLine, type StepVerification } from '../content/verification-line.js';
import type { Channel, OutboundMessage } from '../providers/provider.js';

export type StepToSend = {
  content: StepContent;
  whatsappTemplate: WhatsappTemplate | null;
  fallbackLanguage: string;
  mergeFallbacks: Record<string, string>;
  /** The archive codes the step's messages end with (none when the campaign wants no verification line). */
  verification?: StepVerification;
};

export type Composed =
  | { ok: true; message: Omit<OutboundMessage, 'statusCallback'>; body: string; segments: number }
  | { ok: false; skipReason: 'missing_field'; detail: string };

export function composeMessage(step: StepToSend, channel: Channel, language: string, to: string, context: MergeContext): Composed {
  const textLanguage = step.content[language] ? language : step.fallbackLanguage;
  const content = step.content[textLanguage];
  if (!content) return { ok: false, skipReason: 'missing_field', detail: `no text in ${language} or ${step.fallbackLanguage}` };
  const body = render(content.body, context, step.mergeFallbacks);
  const missing = [...body.missing];
  const text = body.text + stepVerificationLine(step.verification, textLanguage);
  const message: Omit<OutboundMessage, 'statusCallback'> = { channel, to, body: text };
  if (channel === 'whatsapp' && step.whatsappTemplate) {
    const variables: Record<string, string> = {};
    for (const [name, template] of Object.entries(step.whatsappTemplate.variables)) {
      const value = render(template, context, step.mergeFallbacks);
      missing.push(...value.missing);
      variables[name] = value.text;
    }
    message.contentSid = step.whatsappTemplate.contentSid;
    message.contentVariables = variables;
  }
  if (content.mediaUrl && channel === 'whatsapp') message.mediaUrl = content.mediaUrl;
  if (missing.length > 0) return { ok: false, skipReason: 'missing_field', detail: `missing ${[...new Set(missing)].join(', ')}` };
  return { ok: true, message, body: text, segments: channel === 'sms' ? smsSegments(text) : 1 };
}
