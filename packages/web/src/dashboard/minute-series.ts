import type { CallEvent } from '@shuttle-cti/protocol';
import type { EventEffect } from './live-state.js';

export interface MinuteBucket {
  /** Minute index: floor(hub epoch ms / 60 000). */
  minute: number;
  calls: number;
  abandoned: number;
}

/**
 * Calls per minute for the chart, keyed by the hub's minute. Fed by live events, and
 * back-filled once from the stored events (`GET /api/v1/events`) so the chart is not
 * empty when the dashboard opens; `coveredFrom` says from when the counts are complete.
 */
export interface MinuteSeries {
  add(time: string, effect: EventEffect): void;
  /**
   * Counts stored events (ascending, up to seq `before`) the way the live state does.
   * `fromStart`: they are all the store holds, so the counts are complete.
   */
  backfill(events: readonly CallEvent[], before: number, fromStart: boolean): void;
  /** The last `count` minutes up to `nowMinute`, oldest first. */
  window(nowMinute: number, count: number): MinuteBucket[];
  coveredFrom(): number | undefined;
}

export const minuteOf = (ms: number): number => Math.floor(ms / 60_000);

export function createMinuteSeries(startedAt: number): MinuteSeries {
  const buckets = new Map<number, MinuteBucket>();
  let covered: number | undefined = startedAt;
  const bucket = (minute: number): MinuteBucket => {
    let b = buckets.get(minute);
    if (b === undefined) buckets.set(minute, (b = { minute, calls: 0, abandoned: 0 }));
    return b;
  };
  const add = (time: string, effect: EventEffect): void => {
    const ms = Date.parse(time);
    if (Number.isNaN(ms) || (!effect.newCall && !effect.abandoned)) return;
    const b = bucket(minuteOf(ms));
    if (effect.newCall) b.calls += 1;
    if (effect.abandoned) b.abandoned += 1;
  };
  return {
    add,
    backfill(events, before, fromStart) {
      const seen = new Set<string>();
      for (const event of events) {
        if (event.seq > before) break;
        const first = !seen.has(event.uniqueid);
        seen.add(event.uniqueid);
        const isCallStart = event.event === 'ringing' || event.event === 'up' || event.event === 'abandon';
        add(event.time, { newCall: first && isCallStart, abandoned: event.event === 'abandon', answered: false, outbound: false });
      }
      const first = events[0];
      if (fromStart) covered = undefined;
      else if (first !== undefined) covered = Math.min(covered ?? Infinity, Date.parse(first.time));
    },
    window(nowMinute, count) {
      const out: MinuteBucket[] = [];
      for (let m = nowMinute - count + 1; m <= nowMinute; m += 1) out.push(buckets.get(m) ?? { minute: m, calls: 0, abandoned: 0 });
      // Forget what has scrolled out of every window.
      for (const m of buckets.keys()) if (m < nowMinute - 2 * count) buckets.delete(m);
      return out;
    },
    coveredFrom: () => covered,
  };
}
