import { dayOf, eventInScope, scopeKey, type StreamEvent, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { ScopeIndex } from './scope-index.js';
import { createScopeGroups } from './scope-groups.js';
import { createScopeStats, type ScopeStats } from './scope-stats.js';

/**
 * Today's counters as each scope sees them, from the events in that scope only: one per
 * distinct scope with a supervisor connected to this hub, shared by that scope's
 * supervisors; created when the first connects, dropped with the last. A new scope's
 * counters are counted from the recent events the scope index keeps in memory
 * (scope-journal.ts), in the same tick, with no read of the store: a supervisor
 * connecting with a scope never seen costs one pass over them in memory, not a replay of
 * the day's stored events. The calls in progress come from the hub's own floor,
 * filtered (namespaces/supervisor-snapshot.ts). An unscoped hub has none and pays nothing.
 */
export interface ScopeFloors {
  /** The counters of this scope, built if needed; call `release` with the same scope when done. */
  acquire(scope: ScopeMatcher): Promise<ScopeStats>;
  release(scope: ScopeMatcher): void;
  /** Feeds a published event to the counters whose scope it is in (after the index observed it). */
  apply(event: StreamEvent): void;
  /** How many distinct scopes have counters. */
  readonly size: number;
}

interface Entry {
  scope: ScopeMatcher;
  stats: ScopeStats;
  refs: number;
}

export function createScopeFloors(index: ScopeIndex, limits: { maxCalls: number }): ScopeFloors {
  const entries = new Map<string, Entry>();
  // By the queues and peers their scopes name: an event reaches the few counters whose
  // scope it is in with two look-ups, however many scopes there are.
  const byName = createScopeGroups<Entry>();
  return {
    acquire(scope) {
      const key = scopeKey(scope.scope);
      let entry = entries.get(key);
      if (entry === undefined) {
        // Today's (UTC) events only, as a restarting hub counts them (warm-up.ts).
        const today = dayOf(new Date().toISOString());
        const stats = createScopeStats(limits.maxCalls, today);
        index.replayEvents((event) => {
          if (dayOf(event.time) === today && eventInScope(scope, event)) stats.apply(event);
        });
        entry = { scope, stats, refs: 0 };
        entries.set(key, entry);
        byName.add(scope, entry);
      }
      entry.refs += 1;
      return Promise.resolve(entry.stats);
    },
    release(scope) {
      const key = scopeKey(scope.scope);
      const entry = entries.get(key);
      if (entry === undefined) return;
      entry.refs -= 1;
      if (entry.refs > 0) return;
      entries.delete(key);
      byName.delete(entry.scope, entry);
    },
    apply(event) {
      // An agentstate changes no counter.
      if (event.event === 'agentstate') return;
      byName.forEachIn(event, (entry) => entry.stats.apply(event));
    },
    get size() {
      return entries.size;
    },
  };
}
