import { CtiError, ErrorCode, httpStatusOf, toCtiError, type Role } from '@shuttle-cti/protocol';
import type { Store, TokenRecord } from '@shuttle-cti/store';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth.js';
import type { HubConfig } from '../config.js';
import { pause, rateLimited, type Guards } from '../guards.js';
import type { Logger } from '../logger.js';

export function sendError(reply: FastifyReply, error: CtiError): FastifyReply {
  return reply.code(httpStatusOf[error.code]).send({ error: error.toWire() });
}

/** An error that says when to retry (overload, rate limits) sets `Retry-After`, in whole seconds: a wait under one second is sent as 1. */
export function setRetryAfter(reply: FastifyReply, error: CtiError): void {
  if (error.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
}

export interface ErrorHandlerDeps {
  config: Pick<HubConfig, 'limits'>;
  logger: Logger;
}

/** Every HTTP error leaves as `{ error: { code, message, field? } }`, never a stack trace. */
export function installErrorHandler(app: FastifyInstance, deps: ErrorHandlerDeps): void {
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof CtiError) {
      setRetryAfter(reply, error);
      return sendError(reply, error);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error.statusCode === 400 && error instanceof SyntaxError)) {
      return sendError(reply, new CtiError(ErrorCode.INVALID_JSON, `malformed JSON body: ${error.message}`));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `request body larger than ${deps.config.limits.httpBodyBytes} bytes`));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, new CtiError(ErrorCode.INVALID_PAYLOAD, 'send JSON with Content-Type: application/json'));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendError(reply, new CtiError(ErrorCode.INVALID_PAYLOAD, error.message));
    }
    const e = toCtiError(error);
    deps.logger.error({ err: error }, 'request failed');
    return sendError(reply, e);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new CtiError(ErrorCode.NOT_FOUND, `no route ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}

/** What checking a bearer token uses; the routes that take tokens extend it. */
export interface BearerAuth {
  store: Store;
  /** Shared with the namespaces: failures per address, requests per token. */
  guards: Guards;
  config: Pick<HubConfig, 'authFailures' | 'limits'>;
}

/** Checks `Authorization: Bearer <token>` against the role (or one of the roles) the route takes; returns the token (its scope, protocol 1.2). */
export async function requireBearer(auth: BearerAuth, request: FastifyRequest, role: Role | readonly [Role, ...Role[]]): Promise<TokenRecord> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new CtiError(ErrorCode.UNAUTHORIZED, 'send the token as Authorization: Bearer <token>');
  const { guards } = auth;
  let token;
  try {
    token = await authenticate(auth.store, match[1]);
  } catch (error) {
    throw new CtiError(ErrorCode.UNAVAILABLE, 'the store is unreachable, so the hub cannot check tokens right now; retry later', { cause: error });
  }
  if (!token) {
    const wait = guards.authFailed(request.ip, `http ${request.method} ${request.routeOptions.url ?? ''}`);
    if (wait > 0) {
      await pause(auth.config.authFailures.delayMs);
      throw rateLimited(`too many failed authentications from this address; retry in ${wait} s`, wait);
    }
    throw new CtiError(ErrorCode.UNAUTHORIZED, 'invalid or revoked token');
  }
  const allowed: readonly Role[] = typeof role === 'string' ? [role] : role;
  if (!allowed.includes(token.role)) throw new CtiError(ErrorCode.FORBIDDEN, `this route needs a ${allowed.join(' or ')} token, not ${token.role}`);
  if (!guards.tokenRequest(token.id)) {
    throw rateLimited(`too many requests with this token; at most ${auth.config.limits.httpRequestsPerSecond} per second`, 1);
  }
  return token;
}
