import { Limits, parseOrThrow, tokenCreateBody, tokenScopeObject, type Scope } from '@shuttle-cti/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { changeTokenScope, createToken, revokeToken, tokenInfoOf } from '../auth.js';
import type { Logger } from '../logger.js';
import { requireBearer, type BearerAuth } from './errors.js';

const idParam = z.object({ id: z.string().min(1).max(Limits.identifierLength) });

export interface TokensApiDeps extends BearerAuth {
  logger: Logger;
}

/**
 * `/api/v1/tokens` (protocol 1.2), admin tokens only: the CLI's `token create | list |
 * revoke | scope` over HTTP, through the same functions. An admin may create admin
 * tokens (to hand over or rotate its own). Secrets are answered once and never logged:
 * the log lines carry the token's id as `tokenId` (the logger censors any `token` key).
 */
export function registerTokensApi(app: FastifyInstance, ctx: TokensApiDeps): void {
  app.get('/api/v1/tokens', async (request) => {
    await requireBearer(ctx, request, 'admin');
    return { tokens: (await ctx.store.listTokens()).map(tokenInfoOf) };
  });

  app.post('/api/v1/tokens', async (request, reply) => {
    const admin = await requireBearer(ctx, request, 'admin');
    const body = parseOrThrow(tokenCreateBody, request.body, 'token');
    const scoped = body.queues !== undefined || body.peers !== undefined;
    const scope: Scope | null = scoped ? { queues: body.queues ?? [], peers: body.peers ?? [] } : null;
    const { secret, record } = await createToken(ctx.store, { role: body.role, peer: body.peer, name: body.name, scope });
    ctx.logger.info({ tokenId: record.id, role: record.role, scoped, by: admin.id }, 'token created over HTTP');
    return reply.code(201).send({ token: tokenInfoOf(record), secret });
  });

  app.delete('/api/v1/tokens/:id', async (request) => {
    const admin = await requireBearer(ctx, request, 'admin');
    const { id } = parseOrThrow(idParam, request.params, 'path');
    await revokeToken(ctx.store, id);
    ctx.logger.info({ tokenId: id, by: admin.id }, 'token revoked over HTTP: its sessions are disconnected at the next re-check');
    return { ok: true, id };
  });

  app.put('/api/v1/tokens/:id/scope', async (request) => {
    const admin = await requireBearer(ctx, request, 'admin');
    const { id } = parseOrThrow(idParam, request.params, 'path');
    // `null` clears, as `{ clear: true }` does; the object is parsed alone so that an error names its field.
    const body = request.body === null ? { clear: true as const } : parseOrThrow(tokenScopeObject, request.body, 'scope');
    const scope: Scope | null = body.clear === true ? null : { queues: body.queues ?? [], peers: body.peers ?? [] };
    const record = await changeTokenScope(ctx.store, id, scope);
    ctx.logger.info({ tokenId: id, scoped: scope !== null, by: admin.id }, 'token scope changed over HTTP');
    return { token: tokenInfoOf(record) };
  });
}
