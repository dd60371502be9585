import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context.js';

/** Liveness, readiness (the store answers) and Prometheus metrics. */
export function registerHealth(app: FastifyInstance, ctx: HubContext): void {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await ctx.store.ping();
      return { ok: true, store: ctx.store.kind };
    } catch {
      return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: `the ${ctx.store.kind} store is unreachable` } });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await ctx.metrics.registry.metrics();
    return reply.header('content-type', ctx.metrics.registry.contentType).send(body);
  });
}
