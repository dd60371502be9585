/**
 * Overload admission: whether the hub takes more events from its sources right now.
 *
 * What the hub accepted and has not yet handed to its subscribers is its backlog; how long
 * the oldest of it has waited (or how late the event loop runs, or how long a subscriber's
 * writes have been stuck) is its lag. Past either bound (`limits.ingestBacklog`,
 * `limits.ingestMaxLagMs`) new events are refused with UNAVAILABLE and a time to retry
 * after, instead of being queued without end: what was accepted stays on time, and the
 * sources (which keep their events and retry) carry the excess. Once refusing, the hub
 * takes events again only when both figures have fallen to half their bounds, so that it
 * does not flap at the edge.
 */

/** What admission reads of the hub at each decision. */
export interface AdmissionReading {
  /** Events accepted and not yet handed to every subscriber (the largest of the hub's queues). */
  backlog: number;
  /** Milliseconds the oldest of that backlog has waited, or the event loop runs late. */
  lagMs: number;
}

export type AdmissionDecision =
  | { ok: true }
  | { ok: false; reason: 'backlog' | 'lag'; retryAfterMs: number; backlog: number; lagMs: number };

export interface Admission {
  /** May `count` more events come in now? */
  admit(count: number): AdmissionDecision;
  /** True while new events are refused. */
  readonly refusing: boolean;
}

export interface AdmissionLimits {
  /** Most events in the backlog (`limits.ingestBacklog`). */
  maxBacklog: number;
  /** Longest lag, in ms (`limits.ingestMaxLagMs`). */
  maxLagMs: number;
  /** What a refusal tells the source to wait; default 1,000 ms (HTTP's Retry-After is whole seconds). */
  retryAfterMs?: number;
}

export function createAdmission(limits: AdmissionLimits, probe: () => AdmissionReading): Admission {
  const retryAfterMs = limits.retryAfterMs ?? 1_000;
  let refusing = false;

  return {
    get refusing() {
      return refusing;
    },
    admit(count) {
      const { backlog, lagMs } = probe();
      if (refusing && backlog <= limits.maxBacklog / 2 && lagMs <= limits.maxLagMs / 2) refusing = false;
      if (!refusing) {
        // A request larger than the whole bound still gets in when nothing waits, or it never would.
        const over = backlog > 0 && backlog + count > limits.maxBacklog;
        if (!over && lagMs <= limits.maxLagMs) return { ok: true };
        refusing = true;
      }
      // The backlog's bound holds the door shut when it is over (or, while refusing, over half); else the lag's.
      const reason = backlog + count > limits.maxBacklog || backlog > limits.maxBacklog / 2 ? 'backlog' : 'lag';
      return { ok: false, reason, retryAfterMs, backlog, lagMs };
    },
  };
}
