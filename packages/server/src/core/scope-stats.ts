import { dayOf, parseSeconds, type DayStats } from '@shuttle-cti/protocol';
import type { CountedEvent } from './scope-journal.js';

const emptyStats = (day: string): DayStats => ({ day, calls: 0, answered: 0, abandoned: 0, outbound: 0, avgHoldSeconds: 0 });

/**
 * Today's counters of one scope, counted the way the floor module counts them
 * (protocol/src/floor/apply.ts) over the scope's events only, so that a scoped dashboard
 * that applies its filtered stream to them goes on counting from the same figures. A
 * call is counted on its first `ringing` or `up`, or on an `abandon` without one; every
 * `up` is answered (its hold time in the mean), every `abandon` abandoned, every
 * `outbound` outbound; only events of the counters' UTC day count. Keeps just the ids of
 * the calls in progress (a few set operations per event), not a floor.
 */
export interface ScopeStats {
  apply(event: Readonly<CountedEvent>): void;
  /** The counters now, rolled over to `now`'s day when it is later. */
  stats(now: string): DayStats;
}

export function createScopeStats(maxCalls: number, day = ''): ScopeStats {
  let stats = emptyStats(day);
  let holdTotal = 0;
  /** Calls counted and not ended, oldest first (bounded like the floor's calls). */
  const live = new Set<string>();
  const roll = (time: string): boolean => {
    const d = dayOf(time);
    if (d > stats.day) {
      stats = emptyStats(d);
      holdTotal = 0;
    }
    return d === stats.day;
  };
  const start = (uniqueid: string, counted: boolean): void => {
    if (live.has(uniqueid)) return;
    live.add(uniqueid);
    if (counted) stats.calls += 1;
    if (live.size > maxCalls) {
      const oldest = live.values().next().value;
      if (oldest !== undefined) live.delete(oldest);
    }
  };
  return {
    apply(event) {
      const counted = roll(event.time);
      switch (event.event) {
        case 'ringing':
          start(event.uniqueid, counted);
          break;
        case 'up':
          start(event.uniqueid, counted);
          if (counted) {
            stats.answered += 1;
            holdTotal += parseSeconds(event.holdtime);
            stats.avgHoldSeconds = Math.round((holdTotal / stats.answered) * 10) / 10;
          }
          break;
        case 'outbound':
          if (counted) stats.outbound += 1;
          break;
        case 'hangup':
          live.delete(event.uniqueid);
          break;
        case 'abandon':
          if (!live.has(event.uniqueid) && counted) stats.calls += 1;
          live.delete(event.uniqueid);
          if (counted) stats.abandoned += 1;
          break;
        case 'ringend':
          break;
      }
    },
    stats(now) {
      roll(now);
      return { ...stats };
    },
  };
}
