/**
 * Every error leaves as JSON `{ error, message, details? }` with a 4xx naming what is wrong, or a bare
 * 500 that reveals nothing (no stack, no SQL); the full error goes to the log with the request id.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { inputErrorFromDatabase } from './database-errors.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const notFound = (what: string) => new HttpError(404, `${what} not found`);
export const conflict = (message: string, details?: unknown) => new HttpError(409, message, details);
export const forbidden = (message: string) => new HttpError(403, message);

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({ error: REASONS[error.statusCode] ?? 'Error', message: error.message, ...(error.details ? { details: error.details } : {}) });
    }
    if (error.validation) {
      const details = error.validation.map((v) => ({ path: `${error.validationContext ?? ''}${v.instancePath || ''}`, message: v.message, ...(v.params ? { params: v.params } : {}) }));
      return reply.status(400).send({ error: 'Bad Request', message: describeValidation(error), details });
    }
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const given = String(request.headers['content-type'] ?? '').slice(0, 100);
      return reply.status(415).send({ error: REASONS[415], message: `Unsupported Media Type: ${given}` });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: REASONS[status] ?? 'Error', message: error.message });
    }
    const fromDatabase = inputErrorFromDatabase(error);
    if (fromDatabase) {
      request.log.warn({ err: error }, 'request refused by the database');
      return reply.status(fromDatabase.status).send({ error: REASONS[fromDatabase.status], message: fromDatabase.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(status >= 500 ? status : 500).send({ error: 'Internal Server Error', message: 'internal error', requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` }));
}

function describeValidation(error: FastifyError): string {
  const first = error.validation![0]!;
  const where = `${error.validationContext ?? 'request'}${first.instancePath ? first.instancePath.replace(/\//g, '.') : ''}`;
  const extra = first.params && 'additionalProperty' in first.params ? ` (${String(first.params.additionalProperty)})` : '';
  const more = error.validation!.length > 1 ? ` (and ${error.validation!.length - 1} more problem(s), see details)` : '';
  return `${where} ${first.message}${extra}${more}`;
}
