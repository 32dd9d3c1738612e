/**
 * The OpenAPI description at /docs (JSON at /docs/json). Besides what each route's schema says, it marks
 * who may call what: /v1 routes need an API key, webhooks a Twilio signature, the rest is public; and it
 * fills in request examples from openapi-examples.ts where a schema has none.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { BODY_EXAMPLES } from './openapi-examples.js';

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Campana', version: '0.1.0', description: 'Weekly WhatsApp and SMS campaigns for education ministries, through Twilio.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (POST /v1/api-keys)' },
          twilioSignature: { type: 'apiKey', in: 'header', name: 'X-Twilio-Signature', description: "Twilio's signature over PUBLIC_BASE_URL + path and the form fields" },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when set' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: ({ schema, url, route }) => {
      const documented: Record<string, unknown> = { ...schema };
      if (!route.config?.permission && !documented.security) documented.security = url.startsWith('/webhooks/') ? [{ twilioSignature: [] }] : [];
      const example = [route.method].flat().map((method) => BODY_EXAMPLES[`${method} ${url}`]).find((e) => e !== undefined);
      const body = documented.body as { examples?: unknown[] } | undefined;
      if (body && example !== undefined && !body.examples) documented.body = { ...body, examples: [example] };
      return { schema: documented, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
