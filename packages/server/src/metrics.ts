import type { FloorRemovals } from '@shuttle-cti/protocol';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the live view holds and has shed, read at each scrape. */
export interface LiveFigures {
  calls: number;
  agents: number;
  removals: Readonly<FloorRemovals>;
}

/** The hub's Prometheus metrics, on a registry of its own (several hubs may share a process in tests). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'shuttle_cti_' });
  let live: (() => LiveFigures) | undefined;
  return {
    registry,
    /** Names what the live-view metrics read (the hub's call tracker). */
    watchLive(source: () => LiveFigures): void {
      live = source;
    },
    liveSize: new Gauge({
      name: 'shuttle_cti_live_size',
      help: 'Calls and agents in the live view, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        const figures = live?.();
        if (!figures) return;
        this.set({ kind: 'calls' }, figures.calls);
        this.set({ kind: 'agents' }, figures.agents);
      },
    }),
    liveRemoved: new Counter({
      name: 'shuttle_cti_live_removed_total',
      help: 'Calls and agents dropped from the live view: evicted at the ceiling, expired or forgotten on the schedule',
      labelNames: ['kind', 'reason'] as const,
      registers: [registry],
      collect() {
        const figures = live?.();
        if (!figures) return;
        const r = figures.removals;
        this.reset();
        this.inc({ kind: 'call', reason: 'ceiling' }, r.evictedCalls);
        this.inc({ kind: 'agent', reason: 'ceiling' }, r.evictedAgents);
        this.inc({ kind: 'call', reason: 'expired' }, r.expiredCalls);
        this.inc({ kind: 'agent', reason: 'expired' }, r.forgottenAgents);
      },
    }),
    snapshotsTruncated: new Counter({
      name: 'shuttle_cti_snapshots_truncated_total',
      help: 'Supervisor snapshots that left calls or agents out to stay within live.snapshotBytes',
      registers: [registry],
    }),
    sessions: new Gauge({
      name: 'shuttle_cti_sessions',
      help: 'Connected socket.io sessions, by role',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    eventsIngested: new Counter({
      name: 'shuttle_cti_events_ingested_total',
      help: 'Call events accepted and stored, by event',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'shuttle_cti_events_rejected_total',
      help: 'Call events refused at ingest',
      registers: [registry],
    }),
    commandsRouted: new Counter({
      name: 'shuttle_cti_commands_routed_total',
      help: 'Commands accepted from integrations, by command',
      labelNames: ['command'] as const,
      registers: [registry],
    }),
    commandsRejected: new Counter({
      name: 'shuttle_cti_commands_rejected_total',
      help: 'Commands refused, by command and error code',
      labelNames: ['command', 'code'] as const,
      registers: [registry],
    }),
    commandsQueued: new Counter({
      name: 'shuttle_cti_commands_queued_total',
      help: 'Agent commands kept for a peer with no connected session',
      registers: [registry],
    }),
    commandsExpired: new Counter({
      name: 'shuttle_cti_commands_expired_total',
      help: 'Agent commands whose time-to-live ran out before any session acknowledged them',
      registers: [registry],
    }),
    callControl: new Counter({
      name: 'shuttle_cti_call_control_total',
      help: 'Call-control commands (CallDial, CallHangup, ...), by action and result (ok or the error code)',
      labelNames: ['action', 'result'] as const,
      registers: [registry],
    }),
    ingestLatency: new Histogram({
      name: 'shuttle_cti_ingest_broadcast_seconds',
      help: 'Time from an event being accepted to its broadcast',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
