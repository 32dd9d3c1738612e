/**
 * The queue dashboard (bull-board) at /admin/queues, for admins only.
 *
 * It is a browser page, and a browser cannot add an Authorization header to a page it navigates to, so
 * the dashboard also takes the key from an HttpOnly, SameSite=Strict cookie scoped to /admin/queues,
 * set by a small login form (POST /admin/queues/login). The key therefore never travels in a URL, where
 * browser history and proxy logs would keep it. Scripts (curl, a proxy that injects credentials) may send
 * "Authorization: Bearer <admin key>" instead. The API itself never accepts the cookie (credentials.ts).
 */
import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/dist/types.js';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { authorize } from '../access/authenticate.js';
import type { ApiKeyVerifier } from '../access/api-keys.js';
import { DASHBOARD_COOKIE, dashboardKey } from '../access/credentials.js';
import { HttpError } from '../http/errors.js';
import type { Services } from '../runtime/services.js';

export const DASHBOARD_PATH = '/admin/queues';
const SESSION_SECONDS = 12 * 3600;

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Campana queues: sign in</title></head>
<body style="font-family: sans-serif; max-width: 28rem; margin: 4rem auto">
<h1>Campana queues</h1>
<form method="post" action="${DASHBOARD_PATH}/login">
<label>Admin API key <input name="key" type="password" autocomplete="off" required minlength="16" maxlength="200" style="width: 100%"></label>
<p><button type="submit">Open the dashboard</button></p>
</form></body></html>`;

export function queueDashboard(services: Services, verifier: ApiKeyVerifier): FastifyPluginAsyncTypebox {
  const secure = services.config.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
  const cookie = (value: string, maxAge: number) => `${DASHBOARD_COOKIE}=${value}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;

  return async (app) => {
    app.get(`${DASHBOARD_PATH}/login`, { schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(LOGIN_PAGE));

    app.post(`${DASHBOARD_PATH}/login`, {
      schema: { hide: true, body: Type.Object({ key: Type.String({ minLength: 16, maxLength: 200 }) }, { additionalProperties: false }) },
    }, async (request, reply) => {
      await authorize(verifier, request.body.key, 'queues:admin');
      return reply.header('set-cookie', cookie(encodeURIComponent(request.body.key), SESSION_SECONDS)).redirect(`${DASHBOARD_PATH}/`, 303);
    });

    app.post(`${DASHBOARD_PATH}/logout`, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('set-cookie', cookie('', 0)).redirect(`${DASHBOARD_PATH}/login`, 303),
    );

    await app.register(async (board) => {
      board.addHook('onRequest', async (request, reply) => {
        try {
          await authorize(verifier, dashboardKey(request), 'queues:admin');
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          const wantsPage = request.method === 'GET' && !request.url.startsWith(`${DASHBOARD_PATH}/api/`);
          if (err.statusCode === 401 && wantsPage) return reply.redirect(`${DASHBOARD_PATH}/login`, 303);
          return reply.status(err.statusCode).send({ error: err.statusCode === 401 ? 'Unauthorized' : 'Forbidden', message: err.message });
        }
      });
      const serverAdapter = new FastifyAdapter();
      serverAdapter.setBasePath(DASHBOARD_PATH);
      const { fanout, send, imports } = services.queues;
      createBullBoard({
        queues: [fanout, send, imports].map((queue) => new BullMQAdapter(queue)),
        // @bull-board/fastify 9.10.1 declares its own copy of @bull-board/api (9.10.1) types; the
        // interface is the same. Aligning the two package versions makes this cast unnecessary.
        serverAdapter: serverAdapter as unknown as IServerAdapter,
        options: { uiConfig: { boardTitle: 'Campana queues' } },
      });
      await board.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
    });
  };
}
