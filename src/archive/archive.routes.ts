/**
 * The public archive and verification (no API key: anyone who received or was forwarded a message), each
 * page as HTML for phones or as JSON (`?format=json` or `Accept: application/json`); and, under /v1,
 * checking a text and correcting an official message. Nothing here edits or deletes an entry.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { actorOf, writeAudit } from '../audit/audit-log.js';
import { templateProblems } from '../content/template.js';
import { badRequest, notFound } from '../http/errors.js';
import { inTransaction } from '../runtime/database.js';
import type { Services } from '../runtime/services.js';
import { allArchived, findArchived, insertCorrection, listArchive, type ArchivedMessage } from './archive-store.js';
import { parseCode } from './codes.js';
import { archivePage, entryPage, notFoundPage, verifyPage } from './pages.js';
import { verifyText, type Refusal, type Verdict } from './verify.js';

const Format = Type.Optional(Type.Enum(['html', 'json'], { description: 'json: answer JSON whatever the Accept header' }));
const ArchiveQuery = Type.Object(
  {
    campaign: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Entries older than this id (the previous page’s nextBefore)' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    format: Format,
  },
  { additionalProperties: false },
);
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20, examples: ['K7Q2M'] }) });
const FormatQuery = Type.Object({ format: Format }, { additionalProperties: false });
const VerifyPageQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })), format: Format }, { additionalProperties: false });
const TextBody = Type.Object(
  { text: Type.String({ maxLength: 5000, description: 'The message as received or forwarded, with or without its "Verificar:" line' }) },
  { additionalProperties: false, examples: [{ text: 'Hola Ana: la reunión de padres es el lunes a las 18:00.\nVerificar: https://campana.example.org/v/K7Q2M' }] },
);
const CorrectionBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 1600, description: 'The corrected text, merge fields as {{...}}' }) },
  { additionalProperties: false, examples: [{ body: 'Hola {{contact.name}}: la reunión de padres es el martes a las 18:00.' }] },
);

const REFUSAL_MESSAGES: Record<Refusal, string> = {
  empty: 'the text is empty',
  foreign_link: 'its verification link leads to another site than this archive',
  unknown_code: 'its verification code is no official message’s',
  differs: 'it differs from the official message its code names',
  no_match: 'no official message reads like this text',
};

export function archiveRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { pool } = services.db;
  const verifyUrl = `${services.config.publicBaseUrl}/v`;
  const pageContext = { zone: services.config.defaultTimezone };

  const entryJson = (entry: ArchivedMessage) => ({
    code: entry.code,
    url: `${verifyUrl}/${entry.code}`,
    publishedAt: entry.publishedAt,
    campaign: { id: entry.campaignId, name: entry.campaignName },
    language: entry.language,
    sender: entry.sender,
    audience: entry.audience,
    body: entry.body,
    corrects: entry.corrects,
    correctedBy: entry.correctedBy,
  });

  const verdictJson = (verdict: Verdict<ArchivedMessage>) =>
    verdict.official
      ? { official: true, entry: entryJson(verdict.entry), fields: verdict.fields }
      : {
          official: false,
          reason: verdict.reason,
          message: REFUSAL_MESSAGES[verdict.reason],
          code: verdict.code ?? null,
          closest: verdict.closest && { entry: entryJson(verdict.closest.entry), similarity: verdict.closest.similarity, diff: verdict.closest.diff },
        };

  const verify = async (text: string) => verifyText(text, await allArchived(pool), verifyUrl);

  return async (app) => {
    app.get('/archive', {
      schema: { tags: ['archive'], summary: 'Official messages, newest first (public)', querystring: ArchiveQuery, security: [] },
    }, async (request, reply) => {
      const { campaign, language, before, limit } = request.query;
      const entries = await listArchive(pool, { campaignId: campaign, language, before, limit });
      const nextBefore = entries.length === limit ? entries[entries.length - 1]!.id : null;
      if (wantsJson(request)) return { items: entries.map(entryJson), nextBefore };
      const next = nextBefore === null ? null : `/archive?${new URLSearchParams({ ...(campaign ? { campaign: String(campaign) } : {}), ...(language ? { language } : {}), before: String(nextBefore) })}`;
      return sendHtml(reply, 200, archivePage(entries, next, pageContext));
    });

    app.get('/v/:code', {
      schema: { tags: ['archive'], summary: 'One official message by its verification code (public)', params: CodeParams, querystring: FormatQuery, security: [] },
    }, async (request, reply) => {
      const code = parseCode(request.params.code);
      const entry = code ? await findArchived(pool, code) : undefined;
      if (wantsJson(request)) {
        if (!entry) throw notFound(`official message ${request.params.code}`);
        return entryJson(entry);
      }
      if (!entry) return sendHtml(reply, 404, notFoundPage(`Ningún mensaje oficial tiene el código ${request.params.code}.`));
      return sendHtml(reply, 200, entryPage(entry, pageContext));
    });

    app.get('/verify', {
      schema: { tags: ['archive'], summary: 'The form that checks a text (public); ?code=K7Q2M opens that message', querystring: VerifyPageQuery, security: [] },
    }, async (request, reply) => {
      const given = request.query.code?.trim();
      if (given) return reply.redirect(`/v/${encodeURIComponent(parseCode(given) ?? given)}`, 303);
      return sendHtml(reply, 200, verifyPage(pageContext));
    });

    app.post('/verify', {
      schema: { tags: ['archive'], summary: 'Check a pasted text against the official messages (public; a form post or JSON)', body: TextBody, querystring: FormatQuery, security: [] },
    }, async (request, reply) => {
      const verdict = await verify(request.body.text);
      if (wantsJson(request)) return verdictJson(verdict);
      return sendHtml(reply, 200, verifyPage(pageContext, { text: request.body.text, verdict }));
    });

    app.post('/v1/verify', {
      config: { permission: 'archive:verify' },
      schema: { tags: ['archive'], summary: 'Whether a text is an official message word for word, or where it differs from the closest one', body: TextBody },
    }, async (request) => verdictJson(await verify(request.body.text)));

    app.post('/v1/archive/:code/corrections', {
      config: { permission: 'archive:correct' },
      schema: { tags: ['archive'], summary: 'Publish a correction: a new entry linked to the one it corrects (entries are never edited)', params: CodeParams, body: CorrectionBody },
    }, async (request, reply) => {
      const code = parseCode(request.params.code);
      const original = code ? await findArchived(pool, code) : undefined;
      if (!original) throw notFound(`official message ${request.params.code}`);
      const problems = templateProblems(request.body.body);
      if (problems.length) throw badRequest(`body: ${problems.join('; ')}`, problems);
      const correction = await inTransaction(pool, async (client) => {
        const created = await insertCorrection(client, original, request.body.body);
        await writeAudit(client, actorOf(request), {
          action: 'archive.correct',
          entityType: 'archive_entry',
          entityId: created,
          changes: { corrects: { from: null, to: original.code }, body: { from: original.body, to: request.body.body } },
        });
        return created;
      });
      return reply.status(201).send(entryJson((await findArchived(pool, correction))!));
    });
  };
}

function wantsJson(request: FastifyRequest): boolean {
  const format = (request.query as { format?: string } | undefined)?.format;
  return format ? format === 'json' : (request.headers.accept ?? '').includes('application/json');
}

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}
