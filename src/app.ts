/**
 * The HTTP service: external plugins first (forms, security headers, rate limits, OpenAPI), then ours
 * (errors, request ids, metrics, authentication), then the routes of each domain.
 */
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ApiKeyVerifier } from './access/api-keys.js';
import { apiKeyRoutes } from './access/api-keys.routes.js';
import { installAuthentication } from './access/authenticate.js';
import { archiveRoutes } from './archive/archive.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { audiencesRoutes } from './audiences/audiences.routes.js';
import { segmentsRoutes } from './audiences/segments.routes.js';
import { campaignsRoutes } from './campaigns/campaigns.routes.js';
import { previewRoutes } from './campaigns/preview.routes.js';
import { contactEraseRoutes } from './contacts/contacts-erase.routes.js';
import { contactsRoutes } from './contacts/contacts.routes.js';
import { staffOptOutRoutes } from './contacts/staff-opt-out.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { logApiChanges } from './http/access-log.js';
import { installErrorHandler } from './http/errors.js';
import { refuseNonFiniteNumbers } from './http/finite-numbers.js';
import { installOpenApi } from './http/openapi.js';
import { installRateLimits } from './http/rate-limits.js';
import { echoRequestId, REQUEST_ID_LOG_FIELD, requestIdOf } from './http/request-id.js';
import { installRouteCatalog } from './http/route-catalog.js';
import { DEFAULT_BODY_LIMIT } from './http/route-policy.js';
import { installSecurity } from './http/security.js';
import { importsRoutes } from './imports/imports.routes.js';
import { countRequests, metricsRoutes } from './operations/metrics-endpoint.js';
import { queueDashboard } from './operations/queue-dashboard.js';
import { observeImports, observeQueues } from './operations/store-metrics.js';
import { inboundRoutes } from './optouts/inbound.routes.js';
import { schoolsRoutes } from './schools/schools.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { usersRoutes } from './users/users.routes.js';
import type { Services } from './runtime/services.js';
import { createStatusWriter, webhookRoutes } from './webhooks/webhooks.routes.js';

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    // One line per request at webhook rates is noise; request logs are for debugging.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(services.config.logLevel), requestIdLogLabel: REQUEST_ID_LOG_FIELD }),
    requestIdHeader: false,
    genReqId: requestIdOf,
    trustProxy: services.config.trustProxy,
    bodyLimit: DEFAULT_BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installRouteCatalog(app);
  installErrorHandler(app);
  echoRequestId(app);
  refuseNonFiniteNumbers(app);
  countRequests(app);
  logApiChanges(app);
  await app.register(formbody);
  await installSecurity(app, services.config);
  await installRateLimits(app, services.config);
  await installOpenApi(app);

  const verifier = new ApiKeyVerifier(services.db.pool);
  installAuthentication(app, verifier);
  observeQueues(services.queues, services.redis);
  observeImports(services.db.pool);
  const statusWriter = createStatusWriter(services);
  app.addHook('onClose', () => statusWriter.drain());

  await app.register(healthRoutes(services));
  await app.register(metricsRoutes(services.config));
  await app.register(apiKeyRoutes(services, verifier));
  await app.register(contactsRoutes(services));
  await app.register(contactEraseRoutes(services));
  await app.register(staffOptOutRoutes(services));
  await app.register(schoolsRoutes(services));
  await app.register(importsRoutes(services));
  await app.register(segmentsRoutes(services));
  await app.register(audiencesRoutes(services));
  await app.register(campaignsRoutes(services));
  await app.register(previewRoutes(services));
  await app.register(archiveRoutes(services));
  await app.register(usersRoutes(services));
  await app.register(settingsRoutes(services));
  await app.register(auditRoutes(services));
  await app.register(inboundRoutes(services));
  await app.register(webhookRoutes(services, statusWriter));
  await app.register(queueDashboard(services, verifier));
  return app;
}
