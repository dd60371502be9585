import { eventInScope, type StreamEvent, type RealtimeRow, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import { realtimeInScope } from '../namespaces/supervisor-snapshot.js';

/** Most stored events one `GET /api/v1/events` of a scoped token reads; `scanned` tells the client where to go on. */
export const eventsScanLimit = 50_000;
const page = 2_000;

/**
 * `GET /api/v1/events` for a scoped token: the events after `after` that are in the
 * scope, at most `limit`, reading at most `eventsScanLimit` stored events. `scanned` is
 * the last seq read: the next request asks `after=scanned`, so a scope with few events in
 * a busy log still moves forward, and a page may be empty while `scanned` advances.
 */
export async function eventsInScope(store: Store, scope: ScopeMatcher, after: number, limit: number, scanLimit = eventsScanLimit): Promise<{ events: StreamEvent[]; scanned: number }> {
  const events: StreamEvent[] = [];
  let cursor = after;
  let read = 0;
  while (events.length < limit && read < scanLimit) {
    const batch = await store.eventsAfter(cursor, Math.min(page, scanLimit - read));
    for (const event of batch) {
      read += 1;
      cursor = event.seq;
      if (eventInScope(scope, event)) {
        events.push(event);
        if (events.length >= limit) break;
      }
    }
    if (batch.length < page) break;
  }
  return { events, scanned: cursor };
}

/** `GET /api/v1/realtime` for a scoped token: its rows, newest first; `before` pages on from the last row read. */
export async function realtimeRowsInScope(store: Store, scope: ScopeMatcher, limit: number, query: { type?: string; from?: string; to?: string; before?: string }): Promise<{ rows: RealtimeRow[]; scanned: number; before?: string }> {
  const { rows, scanned, before } = await realtimeInScope(store, scope, limit, query);
  return before === undefined ? { rows, scanned } : { rows, scanned, before };
}
