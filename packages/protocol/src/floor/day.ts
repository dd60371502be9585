import { emptyStats, type FloorState } from './state.js';

/**
 * The day an ISO time belongs to: its UTC date, `YYYY-MM-DD`. "Today" on the floor is
 * the UTC day everywhere (hub, warm-up after a restart, dashboard), so that every hub
 * of a cluster and every browser, whatever its time zone, counts the same events and
 * rolls over at the same instant: 00:00 UTC.
 */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Moves the counters to the day of `time` when it is a later day (never back: an event
 * stamped with an earlier day, as a late event from another hub can be, leaves today's
 * counters alone). Returns whether `time` belongs to the counters' day, i.e. whether an
 * event at that time is counted.
 */
export function rollDay(state: FloorState, time: string): boolean {
  const day = dayOf(time);
  if (day > state.stats.day) {
    state.stats = emptyStats(day);
    state.holdTotal = 0;
  }
  return day === state.stats.day;
}

const secondsText = /^\d+(\.\d+)?$/;

/**
 * A count of seconds as the PBX sends it (`"4"`, `"4.5"`); 0 for anything else (empty,
 * negative, `"Infinity"`, words), so one odd value cannot poison the mean.
 */
export function parseSeconds(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : 0;
  if (typeof value !== 'string') return 0;
  const text = value.trim();
  return secondsText.test(text) ? Number(text) : 0;
}
