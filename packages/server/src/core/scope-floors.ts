import { dayOf, eventInScope, scopeKey, type StreamEvent, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import { createScopeStats, type ScopeStats } from './scope-stats.js';
import { warmUpTracker } from './warm-up.js';

/**
 * Today's counters as each scope sees them, from the events in that scope only: one per
 * distinct scope with a supervisor connected to this hub, shared by that scope's
 * supervisors; created (and rebuilt from today's stored events) when the first connects,
 * dropped with the last. The calls in progress come from the hub's own floor, filtered
 * (namespaces/supervisor-snapshot.ts). An unscoped hub has none and pays nothing.
 */
export interface ScopeFloors {
  /** The counters of this scope, built if needed; call `release` with the same scope when done. */
  acquire(scope: ScopeMatcher): Promise<ScopeStats>;
  release(scope: ScopeMatcher): void;
  /** Feeds a published event to the counters whose scope it is in. */
  apply(event: StreamEvent): void;
  /** How many distinct scopes have counters. */
  readonly size: number;
}

interface Entry {
  scope: ScopeMatcher;
  stats: ScopeStats;
  refs: number;
  /** Highest seq applied: the warm-up and the live stream overlap, and neither applies an event twice. */
  applied: number;
  /** Live events held while the warm-up reads the store. */
  held: StreamEvent[] | undefined;
  ready: Promise<void>;
}

export function createScopeFloors(store: Store, limits: { maxCalls: number }): ScopeFloors {
  const entries = new Map<string, Entry>();

  const feed = (entry: Entry, event: StreamEvent): void => {
    if (event.seq <= entry.applied) return;
    entry.applied = event.seq;
    entry.stats.apply(event);
  };

  return {
    async acquire(scope) {
      const key = scopeKey(scope.scope);
      let entry = entries.get(key);
      if (entry === undefined) {
        const stats = createScopeStats(limits.maxCalls, dayOf(new Date().toISOString()));
        const created: Entry = { scope, stats, refs: 0, applied: 0, held: [], ready: Promise.resolve() };
        created.ready = warmUpTracker(store, {
          apply: (event) => {
            if (eventInScope(scope, event)) feed(created, event);
            else created.applied = Math.max(created.applied, event.seq);
            return [];
          },
        })
          .then(() => undefined)
          .finally(() => {
            const held = created.held ?? [];
            created.held = undefined;
            for (const event of held) feed(created, event);
          });
        entries.set(key, (entry = created));
      }
      entry.refs += 1;
      try {
        await entry.ready;
      } catch (error) {
        this.release(scope);
        throw error;
      }
      return entry.stats;
    },
    release(scope) {
      const key = scopeKey(scope.scope);
      const entry = entries.get(key);
      if (entry === undefined) return;
      entry.refs -= 1;
      if (entry.refs <= 0) entries.delete(key);
    },
    apply(event) {
      for (const entry of entries.values()) {
        if (!eventInScope(entry.scope, event)) continue;
        if (entry.held) entry.held.push(event);
        else feed(entry, event);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
