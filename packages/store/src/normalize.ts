import { CtiError, ErrorCode } from '@shuttle-cti/protocol';

/**
 * Times are kept as `Date.prototype.toISOString()` strings (UTC, milliseconds) so that they
 * compare correctly as text in SQLite and read back identically from PostgreSQL's timestamptz.
 * Any string `Date` can parse is accepted and normalised; anything else is rejected.
 */
export function isoTime(value: unknown, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CtiError(ErrorCode.INVALID_PAYLOAD, `${field} must be an ISO 8601 time`, { field });
  }
  return new Date(ms).toISOString();
}

/** The current time in the stored form. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** A row count for LIMIT: a non-negative integer (SQLite reads a negative LIMIT as "no limit"). */
export function rowLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

/** A required string field of a stored document, checked at run time (events are loose objects). */
export function textField(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new CtiError(ErrorCode.INVALID_PAYLOAD, `${field} must be a string`, { field });
  }
  return value;
}

/**
 * `after` for `seq > after`, as a whole number both databases accept: seqs are integers,
 * so flooring keeps the meaning; NaN reads as "from the start".
 */
export function seqCursor(after: number): number {
  if (Number.isNaN(after)) return 0;
  return Math.min(Math.max(Math.floor(after), -1), Number.MAX_SAFE_INTEGER);
}
