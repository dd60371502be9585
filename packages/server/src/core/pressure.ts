import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { Counter, Gauge } from 'prom-client';
import type { Server } from 'socket.io';
import type { Metrics } from '../metrics.js';
import { createAdmission, type Admission, type AdmissionDecision, type AdmissionReading } from './admission.js';

/** What the ingest pipeline reports of its own queue. */
export interface PipelineBacklog {
  /** Events accepted and not yet published. */
  events: number;
  /** How long the oldest of them has waited, in ms (0 when none waits). */
  oldestMs: number;
}

/** The engine.io connection as far as this module looks into it: packets not yet handed to the transport. */
interface EngineConnection {
  id?: string;
  writeBuffer?: unknown[];
}

/** Namespaces whose every connection gets every event: the fan-out that ingest must not outrun. */
const fanoutNamespaces = ['/', '/supervisor'] as const;
const sampleMs = 50;
const smoothing = 0.1;

export interface Pressure {
  readonly admission: Admission;
  /** Throws UNAVAILABLE, with the time to wait, when `count` more events may not come in now. */
  admitOrThrow(count: number): void;
  /**
   * Throws the same when the hub is refusing already, before a request's body is read: a
   * refused request then costs no parsing (a source that retries sends its whole batch again).
   */
  refuseEarly(): void;
  stop(): void;
}

/** UNAVAILABLE with a time to retry after: the HTTP error handler sends it as `Retry-After` (whole seconds). */
export function overloaded(decision: Extract<AdmissionDecision, { ok: false }>): CtiError {
  const message =
    decision.reason === 'backlog'
      ? `the hub is overloaded (${decision.backlog} events waiting); retry after ${decision.retryAfterMs} ms`
      : `the hub is overloaded (running ${Math.round(decision.lagMs)} ms late); retry after ${decision.retryAfterMs} ms`;
  return new CtiError(ErrorCode.UNAVAILABLE, message, { retryAfterMs: decision.retryAfterMs });
}

/**
 * The hub's load as admission sees it: the ingest queue, the event loop's delay (sampled
 * every 50 ms, averaged over about half a second), and the packets waiting in the write
 * buffer of each integration and supervisor connection (few connections: they are read
 * at each decision; agents are not, their number is what must not cost per event).
 * A connection whose writes have been waiting longer than the lag bound counts as lag too.
 *
 * What it cannot see: bytes already in the kernel's socket buffers (a few MiB per
 * connection on loopback), which a slow subscriber fills before the hub's own buffer grows.
 */
export function createPressure(deps: {
  limits: { ingestBacklog: number; ingestMaxLagMs: number };
  io: Server;
  pipeline: () => PipelineBacklog;
  metrics: Metrics;
  now?: () => number;
}): Pressure {
  const now = deps.now ?? (() => performance.now());
  let expected = now() + sampleMs;
  let loopDelay = 0;
  // Smoothed over about half a second: one stall (a collection, a checkpoint, the machine
  // busy elsewhere for a moment) does not refuse sources; a hub that stays late does.
  const timer = setInterval(() => {
    const t = now();
    loopDelay += smoothing * (Math.max(0, t - expected) - loopDelay);
    expected = t + sampleMs;
  }, sampleMs);
  timer.unref();
  /** Since when each fan-out connection's write buffer has been seen holding packets. */
  const waitingSince = new Map<string, number>();

  function fanoutBacklog(t: number): { packets: number; waitingMs: number } {
    let packets = 0;
    let waitingMs = 0;
    const seen = new Set<string>();
    for (const name of fanoutNamespaces) {
      for (const socket of deps.io.of(name).sockets.values()) {
        const conn = socket.conn as unknown as EngineConnection;
        const held = conn.writeBuffer?.length ?? 0;
        if (held === 0) continue;
        seen.add(socket.id);
        packets = Math.max(packets, held);
        const since = waitingSince.get(socket.id);
        if (since === undefined) waitingSince.set(socket.id, t);
        else waitingMs = Math.max(waitingMs, t - since);
      }
    }
    for (const id of waitingSince.keys()) if (!seen.has(id)) waitingSince.delete(id);
    return { packets, waitingMs };
  }

  function read(): AdmissionReading {
    const t = now();
    const pipeline = deps.pipeline();
    const fanout = fanoutBacklog(t);
    // A turn that is late now counts like the samples would: as a tenth of its delay.
    const late = Math.max(loopDelay, smoothing * (t - expected));
    return { backlog: Math.max(pipeline.events, fanout.packets), lagMs: Math.max(pipeline.oldestMs, late, fanout.waitingMs) };
  }

  const admission = createAdmission(
    { maxBacklog: deps.limits.ingestBacklog, maxLagMs: deps.limits.ingestMaxLagMs },
    read,
  );
  const registers = [deps.metrics.registry];
  new Gauge({
    name: 'shuttle_cti_ingest_backlog',
    help: 'Events accepted and not yet handed to every integration and supervisor connection (the larger of the ingest queue and the fullest write buffer)',
    registers,
    collect() {
      this.set(read().backlog);
    },
  });
  new Gauge({
    name: 'shuttle_cti_ingest_lag_seconds',
    help: 'How late the hub runs: the oldest event waiting to be published, the event-loop delay, or the longest wait of a write buffer',
    registers,
    collect() {
      this.set(read().lagMs / 1000);
    },
  });
  const refusedRequests = new Counter({
    name: 'shuttle_cti_ingest_refused_requests_total',
    help: 'Requests (and in-hub deliveries) refused with UNAVAILABLE because the hub was overloaded',
    registers,
  });
  const refused = new Counter({
    name: 'shuttle_cti_ingest_refused_total',
    help: 'Events refused with UNAVAILABLE because the hub was overloaded (limits.ingestBacklog, limits.ingestMaxLagMs), by reason',
    labelNames: ['reason'] as const,
    registers,
  });

  return {
    admission,
    admitOrThrow(count) {
      const decision = admission.admit(count);
      if (decision.ok) return;
      refused.inc({ reason: decision.reason }, count);
      refusedRequests.inc();
      throw overloaded(decision);
    },
    refuseEarly() {
      if (!admission.refusing) return;
      // Decided as for one event: a hub that has caught up takes the request after all.
      const decision = admission.admit(1);
      if (decision.ok) return;
      refusedRequests.inc();
      throw overloaded(decision);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
