import { dayOf } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { CallTracker } from './call-tracker.js';

/** How far back a restarting hub reads to rebuild the live view; a day of a busy centre. */
const maxEvents = 200_000;
const pageSize = 2_000;

/**
 * Rebuilds the live view after a restart from today's (UTC) stored events: calls still in
 * progress and today's counters, so the dashboard does not start from zero.
 */
export async function warmUpTracker(store: Store, tracker: Pick<CallTracker, 'apply'>, now: Date = new Date()): Promise<number> {
  const { first, last } = await store.seqRange();
  if (last === 0) return 0;
  const today = dayOf(now.toISOString());
  let cursor = Math.max(first - 1, last - maxEvents);
  let applied = 0;
  for (;;) {
    const page = await store.eventsAfter(cursor, pageSize);
    for (const event of page) {
      if (dayOf(event.time) === today) {
        tracker.apply(event);
        applied++;
      }
    }
    const tail = page[page.length - 1];
    if (!tail || page.length < pageSize || tail.seq >= last) return applied;
    cursor = tail.seq;
  }
}
