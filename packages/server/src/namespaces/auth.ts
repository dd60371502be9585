import { ErrorCode, scopeMatcher, type Role, type Scope, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { Namespace, Socket } from 'socket.io';
import { authenticate } from '../auth.js';
import type { HubConfig } from '../config.js';
import type { Guards } from '../guards.js';
import type { Logger } from '../logger.js';

/** What the auth middleware leaves on `socket.data`. */
export interface SessionData {
  role: Role;
  name: string;
  peer: string | null;
  /** The token's id (not its secret), to cut the session when the token is revoked. */
  tokenId: string | null;
  lastSeq: number | undefined;
  /** Protocol 1.2: the token's scope, loaded at auth; null when unscoped (sees everything). */
  scope: ScopeMatcher | null;
  /** Set by the namespace: applies a changed scope to the session (the token re-check calls it). */
  rescope?: (scope: Scope | null) => void;
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function refuse(code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'UNAVAILABLE' | 'RATE_LIMITED', message: string): Error {
  // socket.io sends an error's `data` to the client with the refusal (connect_error).
  return Object.assign(new Error(message), { data: { code, message } });
}

function handshakeValue(socket: Socket, key: string): unknown {
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  return auth?.[key] ?? socket.handshake.query[key];
}

function parseLastSeq(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** What checking a connection's token uses; every namespace extends it. */
export interface RoleCheckDeps {
  store: Store;
  /** Shared with the HTTP routes: failures per address, commands per token. */
  guards: Guards;
  logger: Logger;
  config: Pick<HubConfig, 'authFailures' | 'trustLoopbackIntegrations'>;
}

/**
 * Every connection proves its role: a token of exactly the namespace's role, or (only
 * when enabled) an integration on the loopback interface.
 */
export function requireRole(nsp: Namespace, role: Role, ctx: RoleCheckDeps): void {
  const { guards } = ctx;
  nsp.use((socket, next) => {
    const secret = handshakeValue(socket, 'token');
    const lastSeq = parseLastSeq(handshakeValue(socket, 'lastSeq'));
    const address = socket.handshake.address;
    authenticate(ctx.store, secret)
      .then((token) => {
        const wait = !token && typeof secret === 'string' && secret !== '' ? guards.authFailed(address, `socket.io ${nsp.name}`) : 0;
        if (wait > 0) {
          setTimeout(() => next(refuse(ErrorCode.RATE_LIMITED, `too many failed authentications from this address; retry in ${wait} s`)), ctx.config.authFailures.delayMs);
          return;
        }
        if (!token) {
          const trusted =
            role === 'integration' &&
            ctx.config.trustLoopbackIntegrations &&
            (secret === undefined || secret === '') &&
            loopback.has(socket.handshake.address);
          if (!trusted) {
            next(refuse(ErrorCode.UNAUTHORIZED, secret ? 'invalid or revoked token' : 'a token is required'));
            return;
          }
          // A browser on the hub's host is on the loopback too: any page it shows could
          // otherwise become an integration. Browsers always send Origin; scripts do not.
          if (socket.handshake.headers.origin !== undefined) {
            next(refuse(ErrorCode.UNAUTHORIZED, 'loopback trust does not extend to browsers (the handshake has an Origin header): use a token'));
            return;
          }
          const data: SessionData = { role, name: 'loopback', peer: null, tokenId: null, lastSeq, scope: null };
          socket.data = data;
          next();
          return;
        }
        if (token.role !== role) {
          next(refuse(ErrorCode.FORBIDDEN, `a ${token.role} token cannot connect to ${nsp.name}`));
          return;
        }
        const data: SessionData = { role, name: token.name, peer: token.peer, tokenId: token.id, lastSeq, scope: token.scope === null ? null : scopeMatcher(token.scope) };
        socket.data = data;
        next();
      })
      .catch((error: unknown) => {
        ctx.logger.error({ err: error }, 'token check failed');
        next(refuse(ErrorCode.UNAVAILABLE, 'the store is unreachable, so the hub cannot check tokens right now; retry later'));
      });
  });
}
