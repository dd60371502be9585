import { realtimeRowInScope, type BoundedFloor, type LiveCall, type RealtimeRow, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { HubConfig } from '../config.js';
import type { CallTracker } from '../core/call-tracker.js';
import type { ScopeIndex } from '../core/scope-index.js';
import type { ScopeStats } from '../core/scope-stats.js';

/** Most Integration Realtime rows read to find a scope's newest ones (the rest of the centre's rows are skipped). */
export const realtimeScanLimit = 20_000;
const realtimePage = 500;

/** Rows newest first, only those in the scope, at most `limit`, reading at most `scanLimit` rows. */
export async function realtimeInScope(store: Store, scope: ScopeMatcher, limit: number, query: { type?: string; from?: string; to?: string; before?: string } = {}, scanLimit = realtimeScanLimit): Promise<{ rows: RealtimeRow[]; scanned: number; before: string | undefined }> {
  const rows: RealtimeRow[] = [];
  let before = query.before;
  let scanned = 0;
  while (rows.length < limit && scanned < scanLimit) {
    const page = await store.listRealtime({ ...query, ...(before !== undefined ? { before } : {}), limit: Math.min(realtimePage, scanLimit - scanned) });
    for (const row of page) {
      scanned += 1;
      before = row.id;
      if (realtimeRowInScope(scope, row)) {
        rows.push(row);
        if (rows.length >= limit) break;
      }
    }
    if (page.length < realtimePage) return { rows, scanned, before: undefined };
  }
  return { rows, scanned, before };
}

/** Whether a call in progress is in the scope: its queue, its answering peer or a peer it rings. */
function callInScope(scope: ScopeMatcher, call: LiveCall): boolean {
  if (scope.queues.has(call.queue) || (call.peer !== undefined && scope.peers.has(call.peer))) return true;
  for (const peer of call.ringing) if (scope.peers.has(peer)) return true;
  return false;
}

/** What a scoped supervisor's snapshot reads. */
export interface ScopedSnapshotDeps {
  store: Store;
  tracker: CallTracker;
  scopes: ScopeIndex;
  config: Pick<HubConfig, 'snapshotRealtimeRows' | 'live'>;
}

/**
 * A scoped supervisor's snapshot: its scope's own counters (from its events only); the
 * calls in progress of its scope and the agents it may see (named by the scope or members
 * of its queues), chosen within the same byte budget and by the same rule as everyone's
 * (the floor module's boundedFloor).
 */
export const scopedSnapshot = {
  async realtime(ctx: ScopedSnapshotDeps, scope: ScopeMatcher): Promise<RealtimeRow[]> {
    return (await realtimeInScope(ctx.store, scope, ctx.config.snapshotRealtimeRows)).rows;
  },
  floor(ctx: ScopedSnapshotDeps, scope: ScopeMatcher, stats: ScopeStats): BoundedFloor {
    const bounded = ctx.tracker.snapshot(ctx.config.live.snapshotBytes, {
      call: (call) => callInScope(scope, call),
      agent: (agent) => ctx.scopes.peerInScope(scope, agent.peer),
    });
    return { ...bounded, stats: stats.stats(new Date().toISOString()) };
  },
};
