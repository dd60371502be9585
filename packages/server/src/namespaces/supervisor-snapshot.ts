import { jsonByteLength, realtimeRowInScope, type BoundedFloor, type LiveAgent, type RealtimeRow, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { HubContext } from '../context.js';
import type { CallTracker } from '../core/call-tracker.js';

/** Most Integration Realtime rows read to find a scope's newest ones (the rest of the centre's rows are skipped). */
export const realtimeScanLimit = 20_000;
const realtimePage = 500;

/** Rows newest first, only those in the scope, at most `limit`, reading at most `scanLimit` rows. */
export async function realtimeInScope(ctx: HubContext, scope: ScopeMatcher, limit: number, query: { type?: string; from?: string; to?: string; before?: string } = {}, scanLimit = realtimeScanLimit): Promise<{ rows: RealtimeRow[]; scanned: number; before: string | undefined }> {
  const rows: RealtimeRow[] = [];
  let before = query.before;
  let scanned = 0;
  while (rows.length < limit && scanned < scanLimit) {
    const page = await ctx.store.listRealtime({ ...query, ...(before !== undefined ? { before } : {}), limit: Math.min(realtimePage, scanLimit - scanned) });
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

/**
 * A scoped supervisor's snapshot: the calls and counters of its scope's own floor (built
 * from its events only), and the agents it may see (named by the scope or members of its
 * queues) as the hub's floor has them, within the same byte budget as everyone's.
 */
export const scopedSnapshot = {
  async realtime(ctx: HubContext, scope: ScopeMatcher): Promise<RealtimeRow[]> {
    return (await realtimeInScope(ctx, scope, ctx.config.snapshotRealtimeRows)).rows;
  },
  floor(ctx: HubContext, scope: ScopeMatcher, floor: CallTracker): BoundedFloor {
    const own = floor.snapshot(ctx.config.live.snapshotBytes);
    let left = ctx.config.live.snapshotBytes - jsonByteLength(own.calls);
    const agents: LiveAgent[] = [];
    let omittedAgents = 0;
    for (const agent of ctx.tracker.agents()) {
      if (!ctx.scopes.peerInScope(scope, agent.peer)) continue;
      const size = jsonByteLength(agent) + 1;
      if (size > left) {
        omittedAgents += 1;
        continue;
      }
      left -= size;
      agents.push(agent);
    }
    return { calls: own.calls, agents, stats: own.stats, omittedCalls: own.omittedCalls, omittedAgents };
  },
};
