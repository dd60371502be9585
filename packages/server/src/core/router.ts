import { randomUUID } from 'node:crypto';
import type { AgentCtiCommand, AgentCtiNotificationCommand, CommandAck } from '@shuttle-cti/protocol';
import type { OutboxItem, OutboxKind, OutboxPayloads, Store } from '@shuttle-cti/store';
import { Counter } from 'prom-client';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/** One connected agent session, as the router sees it. */
export interface AgentSession {
  readonly id: string;
  readonly peer: string;
  /** Ids this session has been sent: each command reaches a session at most once. */
  readonly sent: Set<string>;
  send(delivery: AgentDelivery): void;
}

/** A command for an agent session, with the payload of its kind (an outbox item is one). */
export type AgentDelivery = { [K in OutboxKind]: { kind: K; payload: OutboxPayloads[K] } }[OutboxKind];

export interface Router {
  wakeup(command: AgentCtiCommand): Promise<CommandAck>;
  notify(command: AgentCtiNotificationCommand): Promise<CommandAck>;
  /** A session joined: it gets every unacknowledged, unexpired command of its peer. */
  attach(session: AgentSession): Promise<void>;
  detach(session: AgentSession): void;
  /** Only a command addressed to `peer` counts: an agent cannot acknowledge another peer's. */
  acknowledge(id: string, peer?: string): Promise<boolean>;
  /** Deletes expired commands and counts those never acknowledged. */
  sweep(): Promise<number>;
  sessionsOf(peer: string): number;
  /** Delivers a command stored by another hub to this hub's sessions (scale-out). */
  deliverLocal(item: AgentDelivery & { peer: string }): number;
}

/** Ids remembered per session; pops older than this many are long past their time-to-live. */
const maxRemembered = 10_000;

export function createRouter(deps: {
  store: Store;
  config: HubConfig;
  metrics: Metrics;
  logger: Logger;
  /** Called after a command is stored, so other hubs can deliver it to their sessions; resolves with how many did. */
  relay?: ((item: OutboxItem) => Promise<number>) | undefined;
  now?: () => Date;
}): Router {
  const { store, config, metrics, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const byPeer = new Map<string, Set<AgentSession>>();
  const commandsDropped = new Counter({
    name: 'shuttle_cti_commands_dropped_total',
    help: 'Queued agent commands dropped, oldest first, because their peer already had outbox.maxPerPeer waiting',
    registers: [metrics.registry],
  });

  /**
   * Sends a command to one session unless it already had it: each command reaches a
   * session at most once. Forgets the oldest ids of very long-lived sessions.
   */
  function sendOnce(session: AgentSession, delivery: AgentDelivery, id: string): boolean {
    if (session.sent.has(id)) return false;
    session.sent.add(id);
    if (session.sent.size > maxRemembered) {
      const oldest = session.sent.values().next();
      if (!oldest.done) session.sent.delete(oldest.value);
    }
    session.send(delivery);
    return true;
  }

  function deliverLocal(item: AgentDelivery & { peer: string }): number {
    const { id } = item.payload;
    let count = 0;
    for (const session of byPeer.get(item.peer) ?? []) if (sendOnce(session, item, id)) count++;
    return count;
  }

  /** `build` makes the delivery from the command's id and the time the hub accepted it. */
  async function route(peer: string, clientId: string | undefined, build: (id: string, time: string) => AgentDelivery, ttlMs: number): Promise<CommandAck> {
    const at = now();
    const id = clientId ?? randomUUID();
    const delivery = build(id, at.toISOString());
    const kind = delivery.kind;
    const item: OutboxItem = {
      id,
      peer,
      ...delivery,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + ttlMs).toISOString(),
    };
    if (!(await store.enqueue(item))) {
      return { ok: true, id, delivered: 0, queued: 0, duplicate: true };
    }
    metrics.commandsRouted.inc({ command: kind });
    const delivered = deliverLocal(item) + (deps.relay ? await deps.relay(item) : 0);
    if (delivered === 0) {
      metrics.commandsQueued.inc();
      // A peer that stays away must not pile up commands without end (they are all sent on connect).
      const dropped = await store.dropOldest(peer, config.outbox.maxPerPeer);
      if (dropped > 0) {
        commandsDropped.inc(dropped);
        logger.warn({ peer, dropped, kept: config.outbox.maxPerPeer }, 'outbox full: dropped the oldest commands queued for this peer');
      }
    }
    logger.debug({ id, kind, peer, delivered }, 'command routed');
    return { ok: true, id, delivered, queued: delivered === 0 ? 1 : 0 };
  }

  return {
    wakeup({ url, peer, mode, id }) {
      const build = (id: string, time: string): AgentDelivery => ({ kind: 'AgentCTI', payload: { id, url, mode, peer, time } });
      return route(peer, id, build, config.outbox.agentCtiTtlMs);
    },
    notify({ peer, type, title, body, id }) {
      const build = (id: string, time: string): AgentDelivery => ({ kind: 'AgentCTINotification', payload: { id, type, title, body, peer, time } });
      return route(peer, id, build, config.outbox.notificationTtlMs);
    },
    async attach(session) {
      let set = byPeer.get(session.peer);
      if (!set) byPeer.set(session.peer, (set = new Set()));
      set.add(session);
      const pending = await store.pendingFor(session.peer, now().toISOString());
      for (const item of pending) sendOnce(session, item, item.id);
    },
    detach(session) {
      const set = byPeer.get(session.peer);
      set?.delete(session);
      if (set?.size === 0) byPeer.delete(session.peer);
    },
    acknowledge: (id, peer) => store.acknowledge(id, peer),
    async sweep() {
      const expired = await store.expireBefore(now().toISOString());
      if (expired > 0) {
        metrics.commandsExpired.inc(expired);
        logger.info({ expired }, 'agent commands expired before any session acknowledged them');
      }
      return expired;
    },
    sessionsOf: (peer) => byPeer.get(peer)?.size ?? 0,
    deliverLocal,
  };
}
