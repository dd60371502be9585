/** Display formats shared by both pages. */
import { parseSeconds } from '@shuttle-cti/protocol';

/** "0:07", "12:34", "1:02:03" for a number of seconds. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Local wall-clock time; with the date when it is not today. */
export function formatTime(iso: string | number, now = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(now).toDateString() === date.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** Hours and minutes only (chart axis). */
export function formatClock(ms: number): string {
  return clockFormat.format(new Date(ms));
}

/** A string field of a loosely typed object (Integration Realtime `channel`), or ''. */
export function field(object: Record<string, unknown>, ...names: string[]): string {
  for (const name of names) {
    const value = object[name];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return '';
}

/** Seconds sent as a string by the PBX ("4", "4.5"); 0 when unreadable. The floor's own reading. */
export const secondsOf: (value: unknown) => number = parseSeconds;

/** The host of a URL, for compact labels. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
