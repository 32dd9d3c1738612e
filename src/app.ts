/**
 * The HTTP service: external plugins first (forms, OpenAPI), then ours (errors, authentication), then
 * the routes of each domain.
 */
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ApiKeyVerifier } from './access/api-keys.js';
import { installAuthentication } from './access/authenticate.js';
import { campaignsRoutes } from './campaigns/campaigns.routes.js';
import { contactsRoutes } from './contacts/contacts.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { installErrorHandler } from './http/errors.js';
import { inboundRoutes } from './optouts/inbound.routes.js';
import type { Services } from './runtime/services.js';
import { createStatusWriter, webhookRoutes } from './webhooks/webhooks.routes.js';

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    // One line per request at webhook rates is noise; request logs are for debugging.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(services.config.logLevel) }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Campana', version: '0.1.0', description: 'Weekly WhatsApp and SMS campaigns for education ministries, through Twilio.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installAuthentication(app, new ApiKeyVerifier(services.db.pool));
  const statusWriter = createStatusWriter(services);
  app.addHook('onClose', () => statusWriter.drain());

  await app.register(healthRoutes(services));
  await app.register(contactsRoutes(services));
  await app.register(campaignsRoutes(services));
  await app.register(inboundRoutes(services));
  await app.register(webhookRoutes(services, statusWriter));
  return app;
}
