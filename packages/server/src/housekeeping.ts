import { scopeKey } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { HubConfig } from './config.js';
import type { CommandError } from '@shuttle-cti/protocol';
import type { CallTracker } from './core/call-tracker.js';
import type { Router } from './core/router.js';
import type { SupervisorOut } from './core/supervisor-out.js';
import type { Logger } from './logger.js';
import type { SessionData } from './namespaces/auth.js';
import type { HubServer } from './namespaces/typed.js';

export interface HousekeepingDeps {
  config: Pick<HubConfig, 'outbox' | 'retention' | 'live' | 'tokenRecheckMs'>;
  logger: Logger;
  store: Store;
  /** Expired agent commands. */
  router: Router;
  /** Stale calls and offline agents leave the live view; the supervisors are told. */
  tracker: CallTracker;
  supervisorOut: SupervisorOut;
  /** Sessions, for the token re-check. */
  io: HubServer;
}

/**
 * Periodic chores: expire agent commands, prune old events and variables, and re-check
 * the tokens of connected sessions so a revoked token disconnects them.
 * Returns a function that stops them.
 */
export function startHousekeeping(ctx: HousekeepingDeps): () => void {
  const { config, logger, store } = ctx;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, task: () => Promise<unknown>, what: string): void => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error: unknown) => logger.warn({ err: error }, `${what} failed`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  every(config.outbox.sweepIntervalMs, () => ctx.router.sweep(), 'outbox sweep');
  every(
    config.retention.sweepIntervalMs,
    async () => {
      const now = Date.now();
      const events = await store.pruneEventsBefore(new Date(now - config.retention.eventsMs).toISOString());
      const calls = await store.pruneVariablesBefore(new Date(now - config.retention.variablesMs).toISOString());
      const realtime = await store.pruneRealtimeBefore(new Date(now - config.retention.realtimeMs).toISOString());
      if (realtime > 0) logger.info({ realtime }, 'retention: pruned old Integration Realtime rows');
      if (events + calls > 0) logger.info({ events, calls }, 'retention: pruned old events and variables');
      const summaries = await store.pruneCallsBefore(new Date(now - config.retention.callsMs).toISOString());
      if (summaries > 0) logger.info({ summaries }, 'retention: pruned old call summaries');
    },
    'retention sweep',
  );
  // Calls that lost their end event and agents long offline leave the live view; the
  // agents those calls held are shown free to the dashboards.
  every(
    config.live.sweepIntervalMs,
    async () => {
      const expired = ctx.tracker.expire();
      for (const presence of expired.changed) ctx.supervisorOut.agent(presence);
      if (expired.calls + expired.agents > 0) logger.info({ calls: expired.calls, agents: expired.agents }, 'live view: dropped stale calls and offline agents');
    },
    'live view sweep',
  );
  const recheckTokens = createTokenRecheck(ctx);
  every(config.tokenRecheckMs, recheckTokens, 'token re-check');

  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}

/** A session as the re-check sees it. */
interface TokenSession {
  id: string;
  data: SessionData;
  disconnect(close: boolean): unknown;
  emit(event: 'cti_error', error: CommandError): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
}

/**
 * How far back each check looks again: a revocation committed by another process (the
 * CLI, another hub) whose clock is behind this hub's, or whose commit landed after the
 * previous check read, is still seen. Sessions of a token already cut are gone, so
 * seeing a revocation again costs a map look-up.
 */
const revocationOverlapMs = 10 * 60_000;

/**
 * Cuts the sessions of revoked tokens. Sessions are indexed by token id as they connect,
 * and each check asks the store only for the tokens revoked since the previous one (with
 * an overlap): its cost is the revocations, not the sessions or the tokens. (Listing
 * every token every 2 s cost a few ms per check with 10,000 agents; one look-up per
 * session stalled the event loop for 100–170 ms.)
 */
function createTokenRecheck(ctx: Pick<HousekeepingDeps, 'io' | 'store' | 'logger'>): () => Promise<void> {
  const byToken = new Map<string, Set<TokenSession>>();
  for (const name of ['/', '/agent', '/supervisor']) {
    ctx.io.of(name).on('connection', (socket: TokenSession) => {
      const id = socket.data.tokenId;
      if (!id) return;
      let set = byToken.get(id);
      if (!set) byToken.set(id, (set = new Set()));
      set.add(socket);
      socket.once('disconnect', () => {
        set.delete(socket);
        if (set.size === 0 && byToken.get(id) === set) byToken.delete(id);
      });
    });
  }
  // The first check looks at every revocation ever made (sessions may have connected
  // with a token revoked between their handshake and their connection).
  let since = new Date(0).toISOString();
  let scopesSince = new Date(0).toISOString();
  return async () => {
    const startedAt = Date.now();
    if (byToken.size === 0) return;
    const revoked = await ctx.store.revokedTokensSince(since);
    since = new Date(startedAt - revocationOverlapMs).toISOString();
    // Scope changes (protocol 1.2) the same way: only the tokens changed since the
    // previous check, with the same overlap; a session already on that scope is left alone.
    const rescoped = await ctx.store.scopeChangedSince(scopesSince);
    scopesSince = new Date(startedAt - revocationOverlapMs).toISOString();
    let moved = 0;
    for (const { id, scope } of rescoped) {
      const sessions = byToken.get(id);
      if (!sessions) continue;
      const wanted = scope === null ? null : scopeKey(scope);
      for (const socket of sessions) {
        const data = socket.data;
        const current = data.scope === null ? null : scopeKey(data.scope.scope);
        if (current === wanted || !data.rescope) continue;
        data.rescope(scope);
        moved++;
      }
    }
    if (moved > 0) ctx.logger.info({ sessions: moved }, 'token scope changed: sessions follow the new scope');
    let cut = 0;
    for (const { id } of revoked) {
      const sessions = byToken.get(id);
      if (!sessions) continue;
      for (const socket of [...sessions]) {
        socket.emit('cti_error', { code: 'UNAUTHORIZED', message: 'token revoked', command: 'auth' });
        socket.disconnect(true);
        cut++;
      }
      byToken.delete(id);
    }
    if (cut > 0) ctx.logger.info({ sessions: cut }, 'token revoked: disconnected its sessions');
  };
}
