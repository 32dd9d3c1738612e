/**
 * Sending one batch of a run, read top to bottom:
 *   1. load the step and campaign; stop if the campaign may not send now (paused, cancelled, edited);
 *   2. load the batch's recipients still waiting; skip the opted out and those lacking a merge field;
 *   3. per sender, cut the rest into chunks of about a quarter second of the sender's rate;
 *      for each chunk: reserve pacing slots, wait for the first, claim the chunk in the database
 *      (recording the attempt), send each message at its own slot, record every answer in one statement;
 *      (a WhatsApp chunk first passes the sender's daily recipient cap: whoever it refuses waits for
 *      the window, or goes by SMS, as the campaign says);
 *   4. answers that call for it: retry later, opt the contact out (21610), fall back to SMS, slow the
 *      sender down.
 * The claim in step 3 is what makes a send happen at most once across workers, duplicate jobs and crashes.
 */
import type pg from 'pg';
import type { Logger } from '../runtime/logger.js';
import type { CampaignOptions, StepContent, WhatsappCapPolicy, WhatsappTemplate } from '../campaigns/model.js';
import { stepVerification } from '../archive/publish.js';
import { isSending, type CampaignStatus } from '../campaigns/lifecycle.js';
import { optOut } from '../optouts/opt-out.js';
import { metrics } from '../operations/metrics.js';
import { ProviderError, type Channel, type MessageProvider } from '../providers/provider.js';
import { composeMessage, type StepToSend } from './compose.js';
import { claimDeliveries, markSkipped, recordResults, type Claim, type SendResult, type Skip } from './delivery-writes.js';
import type { Pacer } from './pacing.js';
import { launchInSlots } from './slots.js';
import { holdForCap, type WhatsappCap } from './whatsapp-cap.js';
import { classifyFailure, MAX_SEND_ATTEMPTS, retryDelayMs } from './provider-errors.js';
import { loadRecipients, mergeContext } from './recipients.js';
import { enqueueSendBatches, queueSmsFallbacks, type SendQueue } from './send-queue.js';

export type SendDeps = {
  pool: pg.Pool;
  provider: MessageProvider;
  pacer: Pacer;
  sendQueue: SendQueue;
  logger: Logger;
  statusCallbackUrl: string;
  ratePerSecond: Record<Channel, number>;
  /** How long a claim lasts: longer than a chunk takes to send, short enough to recover quickly. */
  leaseMs: number;
  /** Where the public archive serves /v/:code, for the verification line. */
  verifyUrl: string;
  whatsappCap: WhatsappCap;
};

type StepContext = StepToSend & {
  runId: number;
  campaignId: number;
  campaignName: string;
  campaignStatus: CampaignStatus;
  smsFallback: boolean;
  whatsappCapPolicy: WhatsappCapPolicy;
};

// A send more than 10 ms behind its slot gives up the slots that passed (slots.ts): launches are then
// never more than 10 ms late, so a sender's busiest second holds at most 1 % more than its rate (at 80/s
// or more; a 5 ms tolerance gave up 3.6 % of a 500/s sender's slots on a busy 2-core machine, 10 ms 1.5 %).
// The claim starts 50 ms ahead of the first slot, so that its round trip does not make the first send late.
const LATE_TOLERANCE_MS = 10;
const CLAIM_LEAD_MS = 50;

type Pending = { claim: Claim; message: Parameters<MessageProvider['send']>[0]; attempts: number; contactId: string };

export type BatchOutcome = { sent: number; skipped: number; retried: number; failed: number; stopped: boolean };

export async function sendBatch(deps: SendDeps, runId: number, deliveryIds: string[], requestId?: string): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { sent: 0, skipped: 0, retried: 0, failed: 0, stopped: false };
  const step = await loadStepContext(deps.pool, runId, deps.verifyUrl);
  if (!step || !isSending(step.campaignStatus)) return { ...outcome, stopped: true };

  const recipients = await loadRecipients(deps.pool, deliveryIds);
  const skips: Skip[] = [];
  const bySender = new Map<string, Pending[]>();
  for (const recipient of recipients) {
    if (recipient.opted_out) skips.push({ id: recipient.id, reason: 'opted_out' });
    else if (!recipient.phone) skips.push({ id: recipient.id, reason: 'no_address' });
    else {
      const composed = composeMessage(step, recipient.channel, recipient.language, recipient.phone, mergeContext(recipient, step.campaignName));
      const sender = deps.provider.senderFor(recipient.channel);
      if (!composed.ok) skips.push({ id: recipient.id, reason: composed.skipReason, detail: composed.detail });
      else if (!sender) skips.push({ id: recipient.id, reason: 'no_sender', detail: `no ${recipient.channel} sender configured` });
      else {
        const pending = bySender.get(sender) ?? [];
        pending.push({
          claim: { id: recipient.id, body: composed.body, segments: composed.segments, sender },
          message: { ...composed.message, statusCallback: `${deps.statusCallbackUrl}?d=${recipient.id}` },
          attempts: recipient.attempts,
          contactId: recipient.contact_id,
        });
        bySender.set(sender, pending);
      }
    }
  }
  await markSkipped(deps.pool, skips);
  outcome.skipped = skips.length;
  const skipped = new Set(skips.map((s) => s.id));
  for (const recipient of recipients) if (skipped.has(recipient.id)) metrics.messagesSent.inc({ channel: recipient.channel, status: 'skipped' });

  await Promise.all(
    [...bySender].map(async ([sender, pending]) => {
      const channel = pending[0]!.message.channel;
      const rate = deps.ratePerSecond[channel];
      const chunkCost = Math.max(1, Math.min(200, Math.round(rate / 4)));
      let index = 0;
      while (index < pending.length && !outcome.stopped) {
        let chunk: Pending[] = [];
        let cost = 0;
        while (index < pending.length && (chunk.length === 0 || cost + pending[index]!.claim.segments <= chunkCost)) {
          cost += pending[index]!.claim.segments;
          chunk.push(pending[index++]!);
        }
        if (!(await stillSending(deps.pool, step.campaignId))) {
          outcome.stopped = true;
          break;
        }
        if (channel === 'whatsapp') {
          const admission = await deps.whatsappCap.admit(sender, chunk.map((p) => p.contactId));
          if (admission.freeAt) {
            // The window is full: nobody new in the rest of this batch gets a place either.
            const refused = [...chunk.filter((p) => !admission.admitted.has(p.contactId)), ...pending.slice(index)];
            index = pending.length;
            chunk = chunk.filter((p) => admission.admitted.has(p.contactId));
            const toSms = step.whatsappCapPolicy === 'sms' && deps.provider.senderFor('sms') !== null;
            const queueSend = (ids: string[], delayMs: number) => enqueueSendBatches(deps.sendQueue, step.runId, ids, 100, requestId, delayMs);
            await holdForCap(deps.pool, queueSend, refused.map((p) => p.claim.id), admission.freeAt, toSms);
          }
        }
        if (chunk.length) await sendChunk(deps, step, sender, rate, chunk, outcome, requestId);
      }
    }),
  );
  return outcome;
}

async function sendChunk(deps: SendDeps, step: StepContext, sender: string, rate: number, chunk: Pending[], outcome: BatchOutcome, requestId?: string): Promise<void> {
  let lease: string | undefined;
  const sends: Promise<SendResult>[] = [];
  const { unusedSlots } = await launchInSlots(chunk, {
    reserve: (cost) => deps.pacer.reserve(sender, cost, rate),
    costOf: (pending) => pending.claim.segments,
    // Claimed just before the first slot: the last look at opt-outs, and no lease held while waiting.
    prepare: async (pending) => {
      const claimed = await claimDeliveries(deps.pool, pending.map((p) => p.claim), deps.leaseMs);
      lease = claimed.lease;
      return pending.filter((p) => claimed.ids.has(p.claim.id));
    },
    launch: (pending, lateMs) => {
      metrics.launchDelay.observe({ channel: pending.message.channel }, lateMs / 1000);
      sends.push(attempt(deps, pending));
    },
    prepareLeadMs: CLAIM_LEAD_MS,
    lateToleranceMs: LATE_TOLERANCE_MS,
  });
  if (unusedSlots) metrics.unusedSlots.inc({ channel: chunk[0]!.message.channel }, unusedSlots);
  const results = await Promise.all(sends);
  await recordResults(deps.pool, results, lease);
  for (const result of results) metrics.messagesSent.inc({ channel: chunk[0]!.message.channel, status: result.outcome });

  const retries = results.filter((r) => r.outcome === 'retry');
  for (const retry of retries) {
    await enqueueSendBatches(deps.sendQueue, step.runId, [retry.id], 1, requestId, Math.max(0, retry.nextAttemptAt.getTime() - Date.now()));
  }
  outcome.sent += results.filter((r) => r.outcome === 'accepted').length;
  outcome.retried += retries.length;
  outcome.failed += results.filter((r) => r.outcome === 'failed').length;
  await afterFailures(deps, step, sender, results, requestId);
}

/** One provider call, its answer turned into what to record. */
async function attempt(deps: SendDeps, pending: Pending): Promise<SendResult> {
  const id = pending.claim.id;
  const stopTimer = metrics.sendLatency.startTimer({ channel: pending.message.channel });
  try {
    const accepted = await deps.provider.send(pending.message);
    stopTimer();
    return { id, outcome: 'accepted', sid: accepted.sid };
  } catch (err) {
    stopTimer();
    const failure = err instanceof ProviderError ? err : new ProviderError(String((err as Error).message ?? err));
    metrics.providerErrors.inc({ code: String(failure.code ?? failure.httpStatus ?? 'network') });
    const verdict = classifyFailure({ code: failure.code, httpStatus: failure.httpStatus, message: failure.message });
    const attempts = pending.attempts + 1;
    const errorMessage = failure.message.slice(0, 500);
    const nextAttemptAt = new Date(Date.now() + retryDelayMs(attempts));
    // Without any answer the provider may have accepted the message, even at the last attempt: recovery
    // asks before resending, or before calling it failed.
    if (failure.httpStatus === undefined && verdict.retry) return { id, outcome: 'unknown', errorMessage, nextAttemptAt };
    if (!verdict.retry || attempts >= MAX_SEND_ATTEMPTS) return { id, outcome: 'failed', errorCode: failure.code, errorMessage };
    return { id, outcome: 'retry', errorCode: failure.code, errorMessage, nextAttemptAt };
  }
}

async function afterFailures(deps: SendDeps, step: StepContext, sender: string, results: SendResult[], requestId?: string): Promise<void> {
  const failures = results.filter((r): r is Extract<SendResult, { errorMessage: string }> => r.outcome !== 'accepted');
  if (failures.length === 0) return;
  const verdicts = failures.map((f) => ({ id: f.id, outcome: f.outcome, ...classifyFailure({ code: 'errorCode' in f ? f.errorCode : undefined, httpStatus: 400, message: f.errorMessage }) }));
  if (failures.some((f) => 'errorCode' in f && f.errorCode !== undefined && classifyFailure({ code: f.errorCode, message: '' }).throttle)) {
    const factor = await deps.pacer.slowDown(sender);
    deps.logger.warn({ sender: sender.replace(/\d{4}$/, '****'), factor }, 'provider asked us to slow down');
  }
  const optedOut = verdicts.filter((v) => v.optOut && v.outcome === 'failed').map((v) => v.id);
  if (optedOut.length) {
    const { rows } = await deps.pool.query<{ contact_id: number }>('SELECT contact_id FROM deliveries WHERE id = ANY($1::bigint[])', [optedOut]);
    metrics.optOuts.inc({ source: 'provider' }, await optOut(deps.pool, rows.map((r) => r.contact_id), 'provider:21610'));
  }
  const toSms = verdicts.filter((v) => v.smsFallback && v.outcome === 'failed').map((v) => v.id);
  if (toSms.length && step.smsFallback && deps.provider.senderFor('sms')) await queueSmsFallbacks(deps.pool, deps.sendQueue, toSms, requestId);
}

async function loadStepContext(pool: pg.Pool, runId: number, verifyUrl: string): Promise<StepContext | undefined> {
  const { rows } = await pool.query<{
    step_id: number;
    campaign_id: number;
    name: string;
    status: CampaignStatus;
    options: Partial<CampaignOptions>;
    content: StepContent;
    whatsapp_template: WhatsappTemplate | null;
  }>(
    `SELECT s.id AS step_id, c.id AS campaign_id, c.name, c.status, c.options, s.content, s.whatsapp_template
     FROM step_runs r JOIN campaign_steps s ON s.id = r.step_id JOIN campaigns c ON c.id = r.campaign_id
     WHERE r.id = $1`,
    [runId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    runId,
    campaignId: row.campaign_id,
    campaignName: row.name,
    campaignStatus: row.status,
    content: row.content,
    whatsappTemplate: row.whatsapp_template,
    fallbackLanguage: row.options.fallbackLanguage ?? 'es',
    mergeFallbacks: row.options.mergeFallbacks ?? {},
    smsFallback: row.options.smsFallback ?? true,
    whatsappCapPolicy: row.options.whatsappCapPolicy ?? 'defer',
    verification: await stepVerification(pool, row.step_id, row.options.verification ?? 'none', verifyUrl),
  };
}

async function stillSending(pool: pg.Pool, campaignId: number): Promise<boolean> {
  const { rows } = await pool.query<{ status: CampaignStatus }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
  return rows[0] !== undefined && isSending(rows[0].status);
}
