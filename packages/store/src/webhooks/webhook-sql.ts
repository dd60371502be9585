import type { WebhookState } from '@shuttle-cti/protocol';
import type { StoredWebhookDefinition, WebhookProgress, WebhookRecord } from './types.js';

/** A webhooks row as either driver returns it (PostgreSQL: BIGINT as text, JSON parsed, times as Date). */
export interface WebhookRow {
  id: string;
  definition: string | StoredWebhookDefinition;
  secret: string;
  state: WebhookState;
  cursor_seq: number | string;
  delivered: number | string;
  failed: number | string;
  dropped: number | string;
  last_status: number | null;
  last_error: string | null;
  last_at: string | Date | null;
  lease_owner: string | null;
  lease_until: number | string | null;
  created_at: string | Date;
}

const iso = (t: string | Date): string => (t instanceof Date ? t.toISOString() : t);

export function toWebhook(r: WebhookRow): WebhookRecord {
  return {
    id: r.id,
    definition: typeof r.definition === 'string' ? (JSON.parse(r.definition) as StoredWebhookDefinition) : r.definition,
    secret: r.secret,
    state: r.state,
    cursor: Number(r.cursor_seq),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    dropped: Number(r.dropped),
    lastStatus: r.last_status,
    lastError: r.last_error,
    lastAt: r.last_at === null ? null : iso(r.last_at),
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
    createdAt: iso(r.created_at),
  };
}

/** Longest last_error kept: an endpoint's error text is shown in `webhook list`, not archived. */
const errorLength = 500;

/**
 * The UPDATE of `recordWebhook`; `p(n)` is the driver's n-th placeholder, `greatest` its
 * two-argument maximum (SQLite `max`, PostgreSQL `greatest`).
 */
export function recordWebhookSql(
  id: string,
  progress: WebhookProgress,
  owner: string | undefined,
  p: (n: number) => string,
  greatest: string,
): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const sets: string[] = [];
  const add = (value: unknown): string => {
    params.push(value);
    return p(params.length);
  };
  if (progress.cursor !== undefined) sets.push(`cursor_seq = ${greatest}(cursor_seq, ${add(progress.cursor)})`);
  if (progress.state !== undefined) sets.push(`state = ${add(progress.state)}`);
  for (const key of ['delivered', 'failed', 'dropped'] as const) {
    const n = progress[key];
    if (n !== undefined && n !== 0) sets.push(`${key} = ${key} + ${add(n)}`);
  }
  if (progress.lastStatus !== undefined) sets.push(`last_status = ${add(progress.lastStatus)}`);
  if (progress.lastError !== undefined) sets.push(`last_error = ${add(progress.lastError === null ? null : progress.lastError.slice(0, errorLength))}`);
  if (progress.lastAt !== undefined) sets.push(`last_at = ${add(progress.lastAt)}`);
  if (sets.length === 0) sets.push('id = id');
  let where = `id = ${add(id)}`;
  if (owner !== undefined) where += ` AND lease_owner = ${add(owner)}`;
  return { text: `UPDATE webhooks SET ${sets.join(', ')} WHERE ${where}`, params };
}

export const leaseSql = (p: (n: number) => string): string =>
  `UPDATE webhooks SET lease_owner = ${p(1)}, lease_until = ${p(2)} WHERE id = ${p(3)} AND (lease_owner IS NULL OR lease_owner = ${p(4)} OR lease_until < ${p(5)})`;

/** The parameters of `leaseSql`, in order. */
export const leaseParams = (id: string, owner: string, untilMs: number, nowMs: number): unknown[] => [owner, untilMs, id, owner, nowMs];

export const releaseSql = (p: (n: number) => string): string =>
  `UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = ${p(1)} AND lease_owner = ${p(2)}`;

export const insertWebhookSql = (p: (n: number) => string): string =>
  `INSERT INTO webhooks (id, definition, secret, state, cursor_seq, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, 'enabled', ${p(4)}, ${p(5)})`;
