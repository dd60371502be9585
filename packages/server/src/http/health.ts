import type { FastifyInstance } from 'fastify';
import type { Store } from '@shuttle-cti/store';
import type { Metrics } from '../metrics.js';

export interface HealthDeps {
  store: Store;
  metrics: Metrics;
}

/** Liveness, readiness (the store answers) and Prometheus metrics. */
export function registerHealth(app: FastifyInstance, { store, metrics }: HealthDeps): void {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await store.ping();
      return { ok: true, store: store.kind };
    } catch {
      return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: `the ${store.kind} store is unreachable` } });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
}
