import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import type { ReportInterval, ReportOptions } from './compute.js';
import { dayRange, isTimeZone, startOfDay } from './time-zone.js';

/** The longest range a report covers: the call summaries' default retention. */
export const maxRangeDays = 400;
/** Per-hour reports are for up to this many days (at most 744 rows per queue). */
export const maxHourlyDays = 31;

const dayMs = 86_400_000;
const intervals: readonly ReportInterval[] = ['hour', 'day', 'total'];
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const bad = (field: string, message: string): CtiError => new CtiError(ErrorCode.INVALID_PAYLOAD, `${field}: ${message}`, { field });

export interface ReportParams extends ReportOptions {
  format: 'json' | 'csv';
}

export interface ReportDefaults {
  timeZone: string;
  sla: number;
  nowMs: number;
}

function text(input: Record<string, unknown>, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw bad(field, 'give it once, as text');
  if (value.length > 64) throw bad(field, 'too long');
  return value;
}

/** `from`/`to`: an ISO time with a zone, or a date alone (the whole day in the report's zone). */
function time(input: Record<string, unknown>, field: 'from' | 'to', timeZone: string): number | undefined {
  const value = text(input, field);
  if (value === undefined) return undefined;
  if (datePattern.test(value)) {
    if (Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw bad(field, `${value} is not a date`);
    const day = dayRange(timeZone, value);
    return field === 'from' ? day.start : day.end;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw bad(field, 'expected an ISO 8601 time with its offset (2026-03-02T09:00:00Z) or a date (2026-03-02)');
  }
  return Date.parse(value);
}

/**
 * Reads a report's parameters (HTTP query or CLI flags, all text): `from`, `to`,
 * `interval`, `sla`, `tz`, `format`. Each bad one is INVALID_PAYLOAD naming it.
 * Defaults: from today's local midnight to now, interval `total`.
 */
export function parseReportParams(input: Record<string, unknown>, defaults: ReportDefaults): ReportParams {
  const timeZone = text(input, 'tz') ?? defaults.timeZone;
  if (!isTimeZone(timeZone)) throw bad('tz', `unknown time zone ${timeZone}`);
  const intervalText = text(input, 'interval') ?? 'total';
  const interval = intervals.find((i) => i === intervalText);
  if (interval === undefined) throw bad('interval', `must be one of ${intervals.join(', ')}`);
  const slaText = text(input, 'sla');
  const sla = slaText === undefined ? defaults.sla : Number(slaText);
  if (slaText !== undefined && (!/^\d{1,4}$/.test(slaText) || sla > 3600)) throw bad('sla', 'a whole number of seconds, 0 to 3600');
  const format = text(input, 'format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw bad('format', 'must be json or csv');

  const toMs = time(input, 'to', timeZone) ?? defaults.nowMs;
  const fromMs = time(input, 'from', timeZone) ?? startOfDay(timeZone, Math.min(toMs, defaults.nowMs));
  if (fromMs > toMs) throw bad('from', 'is after to');
  if (toMs - fromMs > maxRangeDays * dayMs) throw bad('to', `the range is longer than ${maxRangeDays} days`);
  if (interval === 'hour' && toMs - fromMs > maxHourlyDays * dayMs) {
    throw bad('interval', `hour is for ranges of up to ${maxHourlyDays} days; use day`);
  }
  return { fromMs, toMs, interval, timeZone, sla, format, nowMs: defaults.nowMs };
}
