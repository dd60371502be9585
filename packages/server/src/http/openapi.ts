import { openApiDocument } from '@shuttle-cti/protocol';
import type { FastifyInstance } from 'fastify';

/** The protocol version the document describes (docs/PROTOCOL.md). */
const apiVersion = '1.2';

const routesOf = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every method and path registered on `app` after `registerOpenApi` (the test compares them with the document). */
export function registeredRoutes(app: FastifyInstance): readonly { method: string; url: string }[] {
  return routesOf.get(app) ?? [];
}

/**
 * `GET /api/v1/openapi.json`, no token needed: the HTTP API generated from the protocol's
 * schemas. Registered before every other route, so it can list them all.
 */
export function registerOpenApi(app: FastifyInstance): void {
  const routes: { method: string; url: string }[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const document = JSON.stringify(openApiDocument(apiVersion));
  app.get('/api/v1/openapi.json', async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(document));
}
