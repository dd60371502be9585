import type { Variables } from '@shuttle-cti/protocol';

export interface CustomVariablesStore {
  /** The `customvariables` global: uniqueid → name → value. Always the same object. */
  readonly object: Record<string, Record<string, string>>;
  /** Records the variables an event carries (and keeps the call's entry alive). */
  track(event: { uniqueid?: unknown; variables?: unknown }): void;
  /** Forgets a call that ended. */
  release(uniqueid: string): void;
  size(): number;
}

export interface CustomVariablesOptions {
  /** Calls not seen for this long are forgotten even without a hangup (a lost event must not leak). Default 6 h. */
  maxIdleMs?: number;
  now?: () => number;
}

/**
 * The legacy `customvariables` object, filled from the `variables` of each event, kept for the
 * life of the call and released at its end, so memory stays flat however long the runner runs.
 */
export function createCustomVariables(options: CustomVariablesOptions = {}): CustomVariablesStore {
  const maxIdleMs = options.maxIdleMs ?? 6 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const object: Record<string, Record<string, string>> = {};
  const seen = new Map<string, number>();
  let lastSweep = now();

  const release = (uniqueid: string): void => {
     
    delete object[uniqueid];
    seen.delete(uniqueid);
  };

  const sweep = (t: number): void => {
    // At most once a minute: a cheap pass over the calls in progress.
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [uniqueid, at] of seen) {
      if (t - at <= maxIdleMs) break;
      release(uniqueid);
    }
  };

  return {
    object,
    track(event) {
      const t = now();
      sweep(t);
      if (typeof event.uniqueid !== 'string') return;
      const entry = (object[event.uniqueid] ??= {});
      const variables = event.variables;
      if (typeof variables === 'object' && variables !== null) Object.assign(entry, variables as Variables);
      // Re-insert so the map stays ordered by last activity.
      seen.delete(event.uniqueid);
      seen.set(event.uniqueid, t);
    },
    release,
    size: () => seen.size,
  };
}
