/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl: the offset at an
 * instant, the instant of a local time, the start of the local hour or day.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (e.g. `Europe/Rome`, `UTC`). */
export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The hub's own zone. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Local time minus UTC at `ms`, in ms. */
export function offsetAt(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const local = Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  return local - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the local clock shows `localMs` (a local time written as if UTC). */
export function instantOf(timeZone: string, localMs: number): number {
  const first = localMs - offsetAt(timeZone, localMs);
  return localMs - offsetAt(timeZone, first);
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** The next local hour or midnight after `ms`. */
export function nextBoundary(timeZone: string, ms: number, unit: 'hour' | 'day'): number {
  const local = ms + offsetAt(timeZone, ms);
  // An hour lasts 3,600 s whatever the clock does: counted in real time, the hour a clock
  // going back repeats is two hours, as it was lived.
  if (unit === 'hour') return ms - (((local % hourMs) + hourMs) % hourMs) + hourMs;
  const size = dayMs;
  const next = instantOf(timeZone, Math.floor(local / size) * size + size);
  // A clock that goes back (the end of summer time) shows the same hour twice: step past it.
  return next > ms ? next : nextBoundary(timeZone, ms + size, unit);
}

/** Local midnight starting the day of `ms`. */
export function startOfDay(timeZone: string, ms: number): number {
  const local = ms + offsetAt(timeZone, ms);
  return instantOf(timeZone, Math.floor(local / dayMs) * dayMs);
}

/** The day `YYYY-MM-DD` in the zone: its first instant and the next day's. */
export function dayRange(timeZone: string, date: string): { start: number; end: number } {
  const local = Date.parse(`${date}T00:00:00Z`);
  return { start: instantOf(timeZone, local), end: instantOf(timeZone, local + dayMs) };
}

export interface Bucket {
  start: number;
  end: number;
}

/** `[from, to)` cut at local hours or days (`total`: one bucket). */
export function buckets(timeZone: string, fromMs: number, toMs: number, interval: 'hour' | 'day' | 'total'): Bucket[] {
  if (interval === 'total') return [{ start: fromMs, end: toMs }];
  const list: Bucket[] = [];
  for (let start = fromMs; start < toMs; ) {
    const end = Math.min(nextBoundary(timeZone, start, interval), toMs);
    list.push({ start, end });
    start = end;
  }
  return list;
}

/** Index of the bucket holding `ms` (buckets sorted, contiguous); the first for anything before it. */
export function bucketIndex(list: readonly Bucket[], ms: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((list[mid] as Bucket).start <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
