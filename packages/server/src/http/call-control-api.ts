import { CtiError, ErrorCode, httpStatusOf, roles, scopeMatcher, toCtiError, type CallControlCommandName } from '@shuttle-cti/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, CallControlService } from '../core/call-control.js';
import type { Logger } from '../logger.js';
import { requireBearer, setRetryAfter, type BearerAuth } from './errors.js';

/** Any role's token is checked (with the guards of every route); the service decides what it may do. */
export interface CallControlApiDeps extends BearerAuth {
  callControl: CallControlService;
  logger: Logger;
}

/** The token's role, name, peer and scope. */
async function actorOf(auth: BearerAuth, request: FastifyRequest): Promise<Actor> {
  const token = await requireBearer(auth, request, roles);
  return { role: token.role, name: token.name, peer: token.peer, scope: token.scope === null ? null : scopeMatcher(token.scope) };
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'send a JSON object');
  return body as Record<string, unknown>;
}

/**
 * Call control over HTTP (protocol 1.2), for integrations that are not long-running
 * processes. The answer is the socket.io ack's object: `{ ok: true, id, ... }`, or
 * `{ ok: false, error }` with the status of the error's code.
 */
export function registerCallControlApi(app: FastifyInstance, ctx: CallControlApiDeps): void {
  const route = (path: string, name: CallControlCommandName, payload: (request: FastifyRequest) => Record<string, unknown>): void => {
    app.post(path, async (request, reply: FastifyReply) => {
      try {
        const actor = await actorOf(ctx, request);
        return await reply.code(200).send(await ctx.callControl.run(name, payload(request), actor));
      } catch (error) {
        const e = toCtiError(error);
        if (e.code === ErrorCode.INTERNAL) ctx.logger.error({ err: error, command: name }, 'call control failed');
        const wire = e.code === ErrorCode.INTERNAL ? { code: ErrorCode.UNAVAILABLE, message: 'the hub could not carry out the command; retry later' } : e.toWire();
        setRetryAfter(reply, e);
        return reply.code(httpStatusOf[wire.code]).send({ ok: false, error: wire });
      }
    });
  };
  const param = (request: FastifyRequest, key: string): string => (request.params as Record<string, string>)[key] ?? '';

  route('/api/v1/calls', 'CallDial', (r) => bodyOf(r));
  route('/api/v1/calls/:uniqueid/hangup', 'CallHangup', (r) => ({ ...bodyOf(r), uniqueid: param(r, 'uniqueid') }));
  route('/api/v1/calls/:uniqueid/transfer', 'CallTransfer', (r) => ({ ...bodyOf(r), uniqueid: param(r, 'uniqueid') }));
  route('/api/v1/agents/:peer/pause', 'AgentPause', (r) => ({ ...bodyOf(r), peer: param(r, 'peer') }));
  route('/api/v1/agents/:peer/queues', 'AgentQueue', (r) => ({ ...bodyOf(r), peer: param(r, 'peer') }));
}
