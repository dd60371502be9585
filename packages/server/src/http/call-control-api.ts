import { CtiError, ErrorCode, httpStatusOf, scopeMatcher, toCtiError, type CallControlCommandName } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth.js';
import type { Actor, CallControlService } from '../core/call-control.js';
import type { Logger } from '../logger.js';

/** Any token's actor goes to the service, which decides what it may do. */
export interface CallControlApiDeps {
  store: Store;
  callControl: CallControlService;
  logger: Logger;
}

/** The token's role, name and peer (any role: the service decides what it may do). */
async function actorOf(store: Store, request: FastifyRequest): Promise<Actor> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new CtiError(ErrorCode.UNAUTHORIZED, 'send the token as Authorization: Bearer <token>');
  let token;
  try {
    token = await authenticate(store, match[1]);
  } catch (error) {
    throw new CtiError(ErrorCode.UNAVAILABLE, 'the store is unreachable, so the hub cannot check tokens right now; retry later', { cause: error });
  }
  if (!token) throw new CtiError(ErrorCode.UNAUTHORIZED, 'invalid or revoked token');
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
        const actor = await actorOf(ctx.store, request);
        return await reply.code(200).send(await ctx.callControl.run(name, payload(request), actor));
      } catch (error) {
        const e = toCtiError(error);
        if (e.code === ErrorCode.INTERNAL) ctx.logger.error({ err: error, command: name }, 'call control failed');
        const wire = e.code === ErrorCode.INTERNAL ? { code: ErrorCode.UNAVAILABLE, message: 'the hub could not carry out the command; retry later' } : e.toWire();
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
