/**
 * What the webhooks tell operators: metrics, and log lines that name deliveries and contacts by id and
 * phones only masked. A status callback is logged at debug (thousands a second at full speed), except
 * a final failure, which is worth an info line; every reply is logged at info.
 */
import type { FastifyRequest } from 'fastify';
import { metrics } from '../operations/metrics.js';
import type { InboundResult } from '../optouts/inbound.js';
import { maskPhone } from '../runtime/logger.js';
import type { StatusCallback } from './status-callbacks.js';

export function observeStatusCallback(request: FastifyRequest, callback: StatusCallback): void {
  const to = String((request.body as Record<string, unknown>).To ?? '');
  metrics.messageStatus.inc({ channel: to.startsWith('whatsapp:') ? 'whatsapp' : 'sms', status: callback.status });
  const failed = callback.status === 'failed' || callback.status === 'undelivered';
  request.log[failed ? 'info' : 'debug']({ deliveryId: callback.deliveryId, sid: callback.sid, status: callback.status, errorCode: callback.errorCode }, 'status callback');
}

export function observeInbound(request: FastifyRequest, fields: Record<string, string>, result: InboundResult): void {
  if (result.action === 'opt_out' && !result.duplicate && result.contactId !== null) metrics.optOuts.inc({ source: 'reply' });
  request.log.info({ sid: fields.MessageSid, sender: maskPhone(fields.From), contactId: result.contactId, action: result.action, duplicate: result.duplicate }, 'reply received');
}
