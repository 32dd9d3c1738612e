import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import Type from 'typebox';
import type { Permission } from '../access/permissions.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Services } from '../runtime/services.js';
import { acceptUpload, type UploadDeps } from './accept-upload.js';
import { MAX_UPLOAD_BYTES } from './import-file.js';
import { importJson } from './import-report.js';
import type { ImportKind } from './import-target.js';
import { importTargets } from './import-targets.js';
import { findImport, listRejections } from './imports-store.js';

const CSV_TYPES = ['text/csv', 'application/octet-stream'];

const UploadQuery = Type.Object({ filename: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false });

const ReportQuery = Type.Object(
  {
    after: Type.Integer({ minimum: 0, default: 0, description: 'Rejected rows after this line (the previous page’s nextAfter)' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

const UPLOADS: Array<{ url: string; kind: ImportKind; permission: Permission; summary: string }> = [
  { url: '/v1/contacts/import', kind: 'contacts', permission: 'contacts:write', summary: 'Import contacts from CSV (upsert by phone)' },
  { url: '/v1/schools/import', kind: 'schools', permission: 'schools:write', summary: 'Import schools from CSV (upsert by code)' },
  { url: '/v1/schools/results/import', kind: 'results', permission: 'schools:write', summary: 'Import assessment results from CSV (one row per school, grade and subject)' },
];

export function importsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const deps: UploadDeps = {
    pool: services.db.pool,
    targets: importTargets({ languages: services.config.languages, defaultTimezone: services.config.defaultTimezone }),
    queue: services.queues.imports,
  };
  return async (app) => {
    // An import's body is its file: handed over as the unread request stream, stored as it arrives.
    app.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));

    for (const upload of UPLOADS) {
      app.post(upload.url, {
        config: { permission: upload.permission },
        // The stream is counted against this as it is stored (fastify does not count streams it hands over).
        bodyLimit: MAX_UPLOAD_BYTES,
        // After authentication, before any body is read: another type would be buffered whole by its
        // parser, up to that limit.
        preParsing: async (request, _reply, payload) => {
          if (!CSV_TYPES.includes(mediaType(request.headers['content-type']))) {
            throw new HttpError(415, `send the file itself as the body, with content-type ${CSV_TYPES.join(' or ')}`);
          }
          return payload;
        },
        schema: {
          tags: ['imports'],
          summary: upload.summary,
          description: 'The body is the CSV file (text/csv or application/octet-stream). Small files answer 200 with the report; large ones 202 with the import id.',
          consumes: CSV_TYPES,
          querystring: UploadQuery,
        },
      }, async (request, reply) => {
        const accepted = await acceptUpload(deps, upload.kind, request.body as Readable, {
          filename: request.query.filename ?? null,
          userId: request.caller?.userId ?? null,
          requestId: request.id,
        });
        if (accepted.status === 202) reply.header('location', `/v1/imports/${accepted.body.importId}`);
        return reply.status(accepted.status).send(accepted.body);
      });
    }

    app.get('/v1/imports/:id', {
      // Rejection reasons quote the rows' phone numbers: as personal as the contacts themselves.
      config: { permission: 'contacts:read' },
      schema: { tags: ['imports'], summary: 'An import: progress while it runs, then its counts and rejected rows', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }), querystring: ReportQuery },
    }, async (request) => {
      const row = await findImport(deps.pool, request.params.id);
      if (!row) throw notFound(`import ${request.params.id}`);
      const rejections = await listRejections(deps.pool, row.id, request.query.after, request.query.limit);
      return importJson(row, rejections, request.query.limit);
    });
  };
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}
