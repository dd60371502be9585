import { CtiError, ErrorCode, Limits, parseOrThrow, scopeMatcher, variablesSchema } from '@shuttle-cti/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ingest } from '../core/ingest.js';
import type { VariablesService } from '../core/variables.js';
import { eventsInScope, realtimeRowsInScope } from './scoped-reads.js';
import { requireBearer, sendError, type BearerAuth } from './errors.js';

const intParam = (max: number, fallback: number) =>
  z.coerce.number().int().min(0).max(max).optional().transform((v) => v ?? fallback);

const eventsQuery = z.object({ after: intParam(Number.MAX_SAFE_INTEGER, 0), limit: intParam(5000, 500) });
const realtimeQuery = z.object({
  type: z.string().max(Limits.identifierLength).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.string().max(Limits.commandIdLength).optional(),
  limit: intParam(1000, 100),
});
const uniqueidParam = z.object({ uniqueid: z.string().min(1).max(Limits.identifierLength) });

export interface ApiDeps extends BearerAuth {
  ingest: Ingest;
  variables: VariablesService;
}

/** The HTTP API of PROTOCOL.md. */
export function registerApi(app: FastifyInstance, ctx: ApiDeps): void {
  // While the hub refuses for overload, a source's request is answered before its body is
  // read (after its token is checked): parsing a batch only to refuse it would feed the overload.
  const refuseEarly = async (request: FastifyRequest): Promise<void> => {
    if (!ctx.ingest.refusing()) return;
    await requireBearer(ctx, request, 'source');
    ctx.ingest.refuseEarly();
  };
  app.post('/api/v1/events', { onRequest: refuseEarly }, async (request, reply) => {
    await requireBearer(ctx, request, 'source');
    const body = request.body;
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'send one call event object or an array of them');
    }
    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0) throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'the array is empty');
    if (items.length > Limits.eventsPerRequest) {
      throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `at most ${Limits.eventsPerRequest} events per request`);
    }
    const results = await ctx.ingest.ingest(items);
    const accepted = results.filter((r) => r.ok).length;
    const unavailable = results.find((r) => !r.ok && r.error.code === ErrorCode.UNAVAILABLE);
    if (!Array.isArray(body)) {
      const [result] = results;
      if (result && !result.ok) return sendError(reply, new CtiError(result.error.code, result.error.message, { field: result.error.field }));
      return reply.code(202).send(result);
    }
    const status = unavailable && accepted === 0 ? 503 : accepted === 0 ? 400 : accepted < results.length ? 207 : 202;
    return reply.code(status).send({ accepted, rejected: results.length - accepted, results });
  });

  app.get('/api/v1/events', async (request) => {
    const token = await requireBearer(ctx, request, 'supervisor');
    const { after, limit } = parseOrThrow(eventsQuery, request.query, 'query');
    if (token.scope !== null) return eventsInScope(ctx.store, scopeMatcher(token.scope), after, limit);
    return { events: await ctx.store.eventsAfter(after, limit) };
  });

  app.post('/api/v1/calls/:uniqueid/variables', async (request, reply) => {
    await requireBearer(ctx, request, 'source');
    const { uniqueid } = parseOrThrow(uniqueidParam, request.params, 'path');
    const body = request.body;
    // `in` throws on a string or number body (a JSON text may be either): test for an object first.
    const wrapped = typeof body === 'object' && body !== null && !Array.isArray(body) && 'variables' in body;
    const update = parseOrThrow(variablesSchema, wrapped ? body.variables : body, 'variables');
    const variables = await ctx.variables.merge(uniqueid, update, new Date().toISOString());
    return reply.code(200).send({ ok: true, uniqueid, variables });
  });

  app.get('/api/v1/realtime', async (request) => {
    const token = await requireBearer(ctx, request, 'supervisor');
    const q = parseOrThrow(realtimeQuery, request.query, 'query');
    const query = {
      ...(q.type ? { type: q.type } : {}),
      ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
      ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
      ...(q.before ? { before: q.before } : {}),
    };
    if (token.scope !== null) return realtimeRowsInScope(ctx.store, scopeMatcher(token.scope), q.limit, query);
    const rows = await ctx.store.listRealtime({ limit: q.limit, ...query });
    return { rows };
  });
}
