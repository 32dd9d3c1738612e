/**
 * Every route the service registers, as it registers them: method, URL, permission and schema. Tests
 * walk it (authorisation for every route, the OpenAPI document against the routes, fuzzing every
 * route), so a new route is covered by them without anyone listing it.
 */
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Permission } from '../access/permissions.js';

export type CatalogRoute = {
  method: string;
  url: string;
  permission?: Permission;
  schema?: FastifySchema & { hide?: boolean };
  bodyLimit?: number;
};

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: CatalogRoute[];
  }
}

/** Must be installed before any route is registered. HEAD routes fastify derives from GET are left out. */
export function installRouteCatalog(app: FastifyInstance): void {
  const catalog: CatalogRoute[] = [];
  app.decorate('routeCatalog', catalog);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      catalog.push({
        method,
        url: route.url,
        ...(route.config?.permission ? { permission: route.config.permission } : {}),
        ...(route.schema ? { schema: route.schema } : {}),
        ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      });
    }
  });
}
