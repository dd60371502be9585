import type { RealtimeQuery } from './store.js';
import { isoTime, rowLimit } from './normalize.js';

/**
 * Builds the shared SELECT for `listRealtime`, newest first. `placeholder(n)` spells the
 * n-th (1-based) parameter in the dialect (`?` or `$n`). Ties on `time` are broken by
 * insertion order (`pos`), so paging with `before` neither skips nor repeats rows.
 * An unknown `before` id matches no row, so the page is empty.
 */
export function realtimeSelect(
  query: RealtimeQuery,
  placeholder: (n: number) => string,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return placeholder(params.length);
  };
  if (query.type !== undefined) where.push(`type = ${param(query.type)}`);
  if (query.from !== undefined) where.push(`time >= ${param(isoTime(query.from, 'from'))}`);
  if (query.to !== undefined) where.push(`time <= ${param(isoTime(query.to, 'to'))}`);
  if (query.before !== undefined) {
    where.push(`(time, pos) < (SELECT time, pos FROM realtime WHERE id = ${param(query.before)})`);
  }
  const sql =
    'SELECT id, type, channel, reference, url, time FROM realtime' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY time DESC, pos DESC LIMIT ${param(rowLimit(query.limit))}`;
  return { sql, params };
}
