import { randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import { Gauge } from 'prom-client';
import type { Server } from 'socket.io';
import type { z } from 'zod';
import type { HubConfig } from '../config.js';
import type { Cluster, ClusterLink, ClusterParts } from '../core/cluster-link.js';
import type { VariablesService } from '../core/variables.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { agentsOf, type HubServer } from '../namespaces/typed.js';
import { createCallControlRelay } from './call-control-relay.js';
import { createRedisLink } from './redis-link.js';
import {
  byeMessage,
  clusterEvents,
  commandMessage,
  presenceDeltaMessage,
  presenceHeartbeatMessage,
  presenceRequestMessage,
  presenceTableMessage,
  seqMessage,
  variablesMessage,
} from './messages.js';
import { createPresence } from './presence.js';
import { createSequencer } from './sequencer.js';

type Ack = (value: unknown) => void;

/**
 * What a hub does differently when it is one of several (config `redisUrl`): socket.io
 * rooms shared through the Redis adapter, call events published in store order whichever
 * hub ingested them, agent commands delivered to sessions on every hub, custom-variable
 * caches kept honest, and agent presence summed across hubs.
 *
 * Two steps, each on what exists by then (src/core/cluster-link.ts): this link, built
 * before any client connects and before the parts that send through it; then `join`, once
 * the parts it feeds exist, takes what comes from the other hubs.
 */
export function createClusterLink(deps: { config: HubConfig; io: HubServer; logger: Logger; metrics: Metrics }): ClusterLink {
  const { config, metrics } = deps;
  // Messages between hubs go through the server without the namespaces' event maps: each is parsed on receipt (messages.ts).
  const io: Server = deps.io;
  const settings = config.cluster;
  const logger = deps.logger.child({ component: 'cluster' });
  const id = randomUUID();
  const url = config.redisUrl ?? '';
  const link = createRedisLink(url, logger, { channel: `${settings.prefix}-probe#${id}`, everyMs: settings.heartbeatMs });
  io.adapter(createAdapter(link.adapterPub, link.adapterSub, { key: settings.prefix, requestsTimeout: settings.ackTimeoutMs }));

  const upGauge = new Gauge({
    name: 'shuttle_cti_cluster_redis_up',
    help: '1 while this hub reaches Redis (cross-hub routing on), 0 otherwise',
    registers: [metrics.registry],
  });
  const hubsGauge = new Gauge({ name: 'shuttle_cti_cluster_hubs', help: 'Hubs this hub knows of, itself included', registers: [metrics.registry] });
  upGauge.set(0);

  /** What each step does when Redis comes back, in the order the steps were built. */
  const onRestored: (() => void)[] = [];
  let closed = false;

  const send = (event: string, message: unknown): void => {
    if (!closed && link.isUp()) io.serverSideEmit(event, message);
  };

  /** Registers a handler for messages of other hubs; bad ones are dropped, never thrown. */
  function listen<S extends z.ZodType>(event: string, schema: S, handle: (message: z.infer<S>, ack: Ack | undefined) => void): void {
    io.on(event, (raw: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as Ack) : undefined;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        logger.warn({ event, issue: parsed.error.issues[0]?.message }, 'ignored a malformed message from another hub');
        reply?.(0);
        return;
      }
      try {
        handle(parsed.data, reply);
      } catch (error) {
        logger.error({ err: error, event }, 'handling a message from another hub failed');
      }
    });
  }

  link.onChange((up) => {
    upGauge.set(up ? 1 : 0);
    if (!up || closed) return;
    for (const restored of onRestored) restored();
  });

  const callControl = createCallControlRelay({
    io,
    hub: id,
    logger,
    isUp: () => !closed && link.isUp(),
    probeTimeoutMs: settings.ackTimeoutMs,
  });

  /** Everything that comes from the other hubs, into the parts it feeds. */
  function join(parts: ClusterParts): Cluster {
    const { store, variables, tracker, router, supervisorOut } = parts;
    if (store.kind !== 'postgres') {
      logger.warn('redisUrl is set but the store is SQLite: hubs must share one PostgreSQL database, or their clients miss each other\'s events');
    }
    const timers: NodeJS.Timeout[] = [];
    const sequencer = createSequencer({
      store,
      logger,
      from: parts.from,
      publish: (events) => {
        parts.publishLocal(events);
        // The ingesting hub forgets ended calls itself; the others do it here.
        for (const e of events) if (e.event === 'hangup' || e.event === 'abandon') variables.forget(e.uniqueid);
      },
    });
    const presence = createPresence({
      hub: id,
      expireAfterMs: settings.heartbeatMs * 3,
      changed: (peer) => supervisorOut.agent(tracker.setSessions(peer, router.sessionsOf(peer) + presence.remote(peer))),
      send: {
        delta: (version, peer, count) => send(clusterEvents.presenceDelta, { hub: id, version, peer, count }),
        heartbeat: (version) => send(clusterEvents.presenceHeartbeat, { hub: id, version }),
        request: (to) => send(clusterEvents.presenceRequest, { hub: id, to }),
        table: (table) => send(clusterEvents.presenceTable, table),
      },
    });

    /** After an outage: commands relayed while Redis was away reach this hub's sessions now (within their time-to-live). */
    async function redeliverPending(): Promise<void> {
      const peers = new Set<string>();
      for (const socket of agentsOf(deps.io).sockets.values()) {
        const peer = socket.data.peer;
        if (typeof peer === 'string') peers.add(peer);
      }
      const now = new Date().toISOString();
      for (const peer of peers) {
        for (const item of await store.pendingFor(peer, now)) router.deliverLocal(item);
      }
    }

    onRestored.push(() => {
      presence.linkRestored();
      sequencer.poll();
      redeliverPending().catch((error: unknown) => logger.warn({ err: error }, 'could not redeliver queued commands after Redis came back'));
    });
    listen(clusterEvents.seq, seqMessage, (m) => sequencer.ring(m.seq));
    listen(clusterEvents.command, commandMessage, (m, ack) => ack?.(router.deliverLocal(m.item)));
    listen(clusterEvents.presenceDelta, presenceDeltaMessage, (m) => presence.onDelta(m.hub, m.version, m.peer, m.count));
    listen(clusterEvents.presenceHeartbeat, presenceHeartbeatMessage, (m) => presence.onHeartbeat(m.hub, m.version));
    listen(clusterEvents.presenceRequest, presenceRequestMessage, (m) => presence.onRequest(m.to));
    listen(clusterEvents.presenceTable, presenceTableMessage, (m) => presence.onTable(m));
    listen(clusterEvents.bye, byeMessage, (m) => presence.onBye(m.hub));

    const every = (ms: number, task: () => void): void => {
      const timer = setInterval(task, ms);
      timer.unref();
      timers.push(timer);
    };
    every(settings.pollMs, () => sequencer.poll());
    every(settings.heartbeatMs, () => {
      presence.tick(link.isUp());
      hubsGauge.set(presence.hubs());
    });
    hubsGauge.set(1);

    return {
      publish(events) {
        sequencer.offer(events);
        const last = events[events.length - 1];
        if (last) send(clusterEvents.seq, { hub: id, seq: last.seq });
      },
      sessions: {
        changed(peer, local) {
          presence.setLocal(peer, local);
          return local + presence.remote(peer);
        },
      },
      serve: (service) => callControl.serve(service),
      async close() {
        if (closed) return;
        send(clusterEvents.bye, { hub: id });
        closed = true;
        callControl.close();
        for (const timer of timers) clearInterval(timer);
        sequencer.close();
        await link.close();
      },
    };
  }

  return {
    callControl,
    async relay(item) {
      if (closed || !link.isUp()) return 0;
      const message = { hub: id, item: { id: item.id, peer: item.peer, kind: item.kind, payload: item.payload } };
      return new Promise<number>((resolve) => {
        let done = false;
        const finish = (n: number): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(n);
        };
        // The adapter answers by its own timeout too; this one covers a Redis that stopped answering mid-request.
        const timer = setTimeout(() => finish(0), settings.ackTimeoutMs + 500);
        io.serverSideEmit(clusterEvents.command, message, (error: Error | null, responses: unknown[] | undefined) => {
          if (error) logger.debug({ err: error, id: item.id }, 'not every hub reported its deliveries in time');
          finish((responses ?? []).reduce<number>((sum, n) => sum + (typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0), 0));
        });
      });
    },

    shareVariables(inner) {
      const shared: VariablesService = {
        async merge(uniqueid, update, at) {
          // While Redis is away other hubs' changes go unheard: read through the cache.
          if (!link.isUp()) inner.forget(uniqueid);
          const result = await inner.merge(uniqueid, update, at);
          if (update && Object.keys(update).length > 0) send(clusterEvents.variables, { hub: id, uniqueid });
          return result;
        },
        async get(uniqueid) {
          if (!link.isUp()) inner.forget(uniqueid);
          return inner.get(uniqueid);
        },
        forget: (uniqueid) => inner.forget(uniqueid),
        clear: () => inner.clear(),
      };
      listen(clusterEvents.variables, variablesMessage, (m) => shared.forget(m.uniqueid));
      // Invalidations sent while Redis was away are lost: nothing cached before can be trusted.
      onRestored.push(() => shared.clear());
      return shared;
    },

    join,
  };
}
