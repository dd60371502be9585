import { randomUUID } from 'node:crypto';
import type { StreamEvent } from '@shuttle-cti/protocol';
import type { OutboxItem, Store } from '@shuttle-cti/store';
import { createAdapter } from '@socket.io/redis-adapter';
import { Gauge } from 'prom-client';
import type { Server } from 'socket.io';
import type { z } from 'zod';
import type { HubConfig } from '../config.js';
import type { CallControlService, RemoteCallControl } from '../core/call-control.js';
import type { CallTracker } from '../core/call-tracker.js';
import type { Router } from '../core/router.js';
import type { SupervisorOut } from '../core/supervisor-out.js';
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
import { createPresence, type Presence } from './presence.js';
import { createSequencer, type Sequencer } from './sequencer.js';

/**
 * What a hub does differently when it is one of several (config `redisUrl`): socket.io
 * rooms shared through the Redis adapter, call events published in store order whichever
 * hub ingested them, agent commands delivered to sessions on every hub, custom-variable
 * caches kept honest, and agent presence summed across hubs.
 */
export interface Cluster {
  /** This process's id among the hubs (random at each start). */
  readonly id: string;
  /** Takes the place of the hub's direct publish for events this hub stored. */
  publish(events: StreamEvent[]): void;
  /** The router's relay: other hubs deliver the command; resolves with how many sessions got it there. */
  relay(item: OutboxItem): Promise<number>;
  /** Changes made through the returned service drop the other hubs' cached copies. */
  shareVariables(variables: VariablesService): VariablesService;
  /** Call control carried out by the hub that runs the PBX source (protocol 1.2). */
  readonly callControl: RemoteCallControl;
  /** Sessions of `peer` connected to the other hubs. */
  remoteSessions(peer: string): number;
  /** This hub's own session count of `peer` changed. */
  sessionsChanged(peer: string, local: number): void;
  /** Wires the cluster to the hub's parts; `publishLocal` hands events to this hub's clients. */
  start(parts: ClusterParts, publishLocal: (events: StreamEvent[]) => void): void;
  /** Resolves when every event known to exist has been published here (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The parts of the hub the cluster uses, built after it (the router relays through it). */
export interface ClusterParts {
  store: Store;
  io: HubServer;
  variables: VariablesService;
  tracker: CallTracker;
  router: Router;
  supervisorOut: SupervisorOut;
  callControl?: CallControlService | undefined;
  lastSeq(): number;
}

type Ack = (value: unknown) => void;

/** Builds the Redis link and installs the adapter; call before any client connects. */
export function createCluster(deps: { config: HubConfig; io: Server; logger: Logger; metrics: Metrics }): Cluster {
  const { config, io, metrics } = deps;
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

  let ctx: ClusterParts | undefined;
  let sequencer: Sequencer | undefined;
  let presence: Presence | undefined;
  let variables: VariablesService | undefined;
  const timers: NodeJS.Timeout[] = [];
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

  function presenceChanged(peer: string): void {
    if (!ctx || !presence) return;
    const update = ctx.tracker.setSessions(peer, ctx.router.sessionsOf(peer) + presence.remote(peer));
    ctx.supervisorOut.agent(update);
  }

  /** After an outage: commands relayed while Redis was away reach this hub's sessions now (within their time-to-live). */
  async function redeliverPending(): Promise<void> {
    if (!ctx) return;
    const peers = new Set<string>();
    for (const socket of agentsOf(ctx.io).sockets.values()) {
      const peer = socket.data.peer;
      if (typeof peer === 'string') peers.add(peer);
    }
    const now = new Date().toISOString();
    for (const peer of peers) {
      for (const item of await ctx.store.pendingFor(peer, now)) ctx.router.deliverLocal(item);
    }
  }

  link.onChange((up) => {
    upGauge.set(up ? 1 : 0);
    if (!up || closed) return;
    // Invalidations sent while Redis was away are lost: nothing cached before can be trusted.
    variables?.clear();
    presence?.linkRestored();
    sequencer?.poll();
    redeliverPending().catch((error: unknown) => logger.warn({ err: error }, 'could not redeliver queued commands after Redis came back'));
  });

  const callControl = createCallControlRelay({
    io,
    hub: id,
    logger,
    isUp: () => !closed && link.isUp(),
    probeTimeoutMs: settings.ackTimeoutMs,
    local: () => ctx?.callControl,
  });

  return {
    id,
    callControl,
    publish(events) {
      if (!sequencer) throw new Error('cluster not started');
      sequencer.offer(events);
      const last = events[events.length - 1];
      if (last) send(clusterEvents.seq, { hub: id, seq: last.seq });
    },

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
      variables = shared;
      return shared;
    },

    remoteSessions: (peer) => presence?.remote(peer) ?? 0,
    sessionsChanged(peer, local) {
      presence?.setLocal(peer, local);
    },

    start(hubContext, publishLocal) {
      ctx = hubContext;
      if (hubContext.store.kind !== 'postgres') {
        logger.warn('redisUrl is set but the store is SQLite: hubs must share one PostgreSQL database, or their clients miss each other\'s events');
      }
      const forget = hubContext.variables;
      sequencer = createSequencer({
        store: hubContext.store,
        logger,
        from: hubContext.lastSeq(),
        publish: (events) => {
          publishLocal(events);
          // The ingesting hub forgets ended calls itself; the others do it here.
          for (const e of events) if (e.event === 'hangup' || e.event === 'abandon') forget.forget(e.uniqueid);
        },
      });
      presence = createPresence({
        hub: id,
        expireAfterMs: settings.heartbeatMs * 3,
        changed: presenceChanged,
        send: {
          delta: (version, peer, count) => send(clusterEvents.presenceDelta, { hub: id, version, peer, count }),
          heartbeat: (version) => send(clusterEvents.presenceHeartbeat, { hub: id, version }),
          request: (to) => send(clusterEvents.presenceRequest, { hub: id, to }),
          table: (table) => send(clusterEvents.presenceTable, table),
        },
      });
      const seq = sequencer;
      const table = presence;
      listen(clusterEvents.seq, seqMessage, (m) => seq.ring(m.seq));
      listen(clusterEvents.command, commandMessage, (m, ack) => ack?.(hubContext.router.deliverLocal(m.item)));
      listen(clusterEvents.variables, variablesMessage, (m) => hubContext.variables.forget(m.uniqueid));
      listen(clusterEvents.presenceDelta, presenceDeltaMessage, (m) => table.onDelta(m.hub, m.version, m.peer, m.count));
      listen(clusterEvents.presenceHeartbeat, presenceHeartbeatMessage, (m) => table.onHeartbeat(m.hub, m.version));
      listen(clusterEvents.presenceRequest, presenceRequestMessage, (m) => table.onRequest(m.to));
      listen(clusterEvents.presenceTable, presenceTableMessage, (m) => table.onTable(m));
      listen(clusterEvents.bye, byeMessage, (m) => table.onBye(m.hub));

      const every = (ms: number, task: () => void): void => {
        const timer = setInterval(task, ms);
        timer.unref();
        timers.push(timer);
      };
      every(settings.pollMs, () => seq.poll());
      every(settings.heartbeatMs, () => {
        table.tick(link.isUp());
        hubsGauge.set(table.hubs());
      });
      hubsGauge.set(1);
    },

    idle: async () => {
      await sequencer?.idle();
    },

    async close() {
      if (closed) return;
      send(clusterEvents.bye, { hub: id });
      closed = true;
      callControl.close();
      for (const timer of timers) clearInterval(timer);
      sequencer?.close();
      await link.close();
    },
  };
}
