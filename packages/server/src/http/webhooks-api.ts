import { CtiError, ErrorCode, Limits, parseOrThrow } from '@shuttle-cti/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addWebhook, webhookInfoOf } from '../webhooks/manage.js';
import { maskUrl, type Logger } from '../logger.js';
import { requireBearer, type BearerAuth } from './errors.js';

const idParam = z.object({ id: z.string().min(1).max(Limits.identifierLength) });

export interface WebhooksApiDeps extends BearerAuth {
  logger: Logger;
  /** Newest seq published by this hub (how far behind each webhook is). */
  lastSeq(): number;
}

/** `GET/POST/DELETE /api/v1/webhooks` (protocol 1.2), admin tokens only. */
export function registerWebhooksApi(app: FastifyInstance, ctx: WebhooksApiDeps): void {
  const lastSeq = async (): Promise<number> => Math.max(ctx.lastSeq(), (await ctx.store.seqRange()).last);

  app.get('/api/v1/webhooks', async (request) => {
    await requireBearer(ctx, request, 'admin');
    const last = await lastSeq();
    return { webhooks: (await ctx.store.listWebhooks()).map((w) => webhookInfoOf(w, last)) };
  });

  app.post('/api/v1/webhooks', async (request, reply) => {
    await requireBearer(ctx, request, 'admin');
    const { record, secret } = await addWebhook(ctx.store, request.body);
    ctx.logger.info({ webhook: record.id, url: maskUrl(record.definition.url), events: record.definition.events }, 'webhook added');
    return reply.code(201).send({ webhook: webhookInfoOf(record, await lastSeq()), secret });
  });

  app.delete('/api/v1/webhooks/:id', async (request) => {
    await requireBearer(ctx, request, 'admin');
    const { id } = parseOrThrow(idParam, request.params, 'path');
    if (!(await ctx.store.deleteWebhook(id))) throw new CtiError(ErrorCode.NOT_FOUND, `no webhook ${id}`, { field: 'id' });
    ctx.logger.info({ webhook: id }, 'webhook removed');
    return { ok: true, id };
  });
}
