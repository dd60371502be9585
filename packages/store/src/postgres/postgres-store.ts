import type pg from 'pg';
import { Limits, type RealtimeRow, type StreamEvent, type Variables } from '@shuttle-cti/protocol';
import { batchIds, eventIdOf, planAppend } from '../event-ids.js';
import type { DistributiveOmit, OutboxItem, Store, TokenRecord, UnnumberedEvent } from '../store.js';
import { isoTime, nowIso, rowLimit, seqCursor, textField } from '../normalize.js';
import { realtimeSelect } from '../realtime-query.js';
import { callVariablesTooLarge, checkCallVariables, splitChanges } from '../variables.js';
import { createPostgresCalls } from '../calls/postgres-calls.js';
import { scopeFromText, scopeText } from '../token-scopes.js';
import { createPostgresWebhooks } from '../webhooks/postgres-webhooks.js';
import { lockClass, migratePostgres } from './migrate.js';
import { createPool, inTransaction, mapError } from './pool.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /**
   * Schema holding the tables (created by `migrate()` if missing); default: the server's
   * search_path, usually `public`. A plain lower-case identifier. Tests use a fresh one each.
   */
  schema?: string | undefined;
  /** Pool size; default 10. */
  max?: number | undefined;
  /** How long a call waits for a new connection before rejecting; default 3000 ms. */
  connectionTimeoutMs?: number | undefined;
  /** Errors of idle pooled connections (e.g. the server restarted); the pool replaces them by itself. */
  onError?: ((error: Error) => void) | undefined;
}

interface TokenRow {
  id: string;
  role: TokenRecord['role'];
  peer: string | null;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
  scope: string | null;
}

/** An outbox row as the driver returns it: `kind` and its `payload` were written together by `enqueue`. */
type OutboxRow = DistributiveOmit<OutboxItem, 'createdAt' | 'expiresAt'> & {
  created_at: Date;
  expires_at: Date;
};

interface RealtimeDbRow extends Omit<RealtimeRow, 'time'> {
  time: Date;
}

const tokenColumns = 'id, role, peer, name, created_at, revoked_at, scope';

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  role: r.role,
  peer: r.peer,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at === null ? null : r.revoked_at.toISOString(),
  scope: scopeFromText(r.scope),
});

const toOutboxItem = ({ created_at, expires_at, ...item }: OutboxRow): OutboxItem => ({
  ...item,
  createdAt: created_at.toISOString(),
  expiresAt: expires_at.toISOString(),
});

/**
 * The shared store for several hub processes: PostgreSQL through a `pg` pool. Calls reject
 * with CtiError UNAVAILABLE while the server cannot be reached, and work again once it is
 * back, without restarting anything.
 *
 * @example
 * const store = createPostgresStore({ url: process.env.DATABASE_URL });
 * await store.migrate();
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const pool = createPool(options);
  let closed: Promise<void> | undefined;

  const query = async <R extends object>(text: string, params: unknown[] = []): Promise<{ rows: R[]; rowCount: number }> => {
    try {
      const result = await pool.query<R & pg.QueryResultRow>(text, params);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw mapError(error);
    }
  };

  const calls = createPostgresCalls(
    query,
    async (work, begin) => {
      try {
        return await inTransaction(pool, work, begin);
      } catch (error) {
        throw mapError(error);
      }
    },
    lockClass,
  );

  return {
    ...createPostgresWebhooks(query),
    kind: 'postgres',
    listCalls: calls.listCalls,
    queueSlots: calls.queueSlots,
    agentSlots: calls.agentSlots,
    pauseSpans: calls.pauseSpans,
    pruneCallsBefore: calls.pruneCallsBefore,

    async migrate() {
      await migratePostgres(pool, options.schema);
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      closed ??= pool.end();
      await closed;
    },

    async appendEvents(events) {
      if (events.length === 0) return [];
      const ids = batchIds(events);
      // The advisory lock serialises appends across all hubs sharing the database, so
      // events commit in seq order: a reader never sees seq n+1 before seq n is visible,
      // which would make a client resuming from n+1 miss n for good. Under the same lock,
      // the look-up of the batch's ids cannot miss one that another hub is storing.
      return inTransaction(
        pool,
        async (client) => {
          const stored = new Map<string, StreamEvent>();
          if (ids.length > 0) {
            const { rows } = await client.query<{ eventid: string; seq: string; body: UnnumberedEvent }>(
              'SELECT eventid, seq, body FROM events WHERE eventid = ANY($1::text[])',
              [ids],
            );
            for (const r of rows) stored.set(r.eventid, { ...r.body, seq: Number(r.seq) });
          }
          const { fresh, assemble } = planAppend(events, stored);
          if (fresh.length === 0) return assemble([]);
          const { rows } = await client.query<{ seq: string }>(
            `INSERT INTO events (event, uniqueid, time, body, eventid)
             SELECT event, uniqueid, time, body, eventid
             FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::json[], $5::text[]) WITH ORDINALITY
               AS u(event, uniqueid, time, body, eventid, n)
             ORDER BY n
             RETURNING seq`,
            [
              fresh.map((e) => textField(e.event, 'event')),
              // agentstate (protocol 1.2) concerns a peer, not a call: it has no uniqueid.
              fresh.map((e) => textField(e.uniqueid ?? '', 'uniqueid')),
              fresh.map((e) => isoTime(e.time, 'time')),
              fresh.map((e) => JSON.stringify(e)),
              fresh.map((e) => eventIdOf(e)),
            ],
          );
          // In the same transaction: a call's summary is exactly as stored as its events,
          // whichever hub stored them (a repeated eventid was not stored, so not counted).
          await calls.record(client, fresh);
          // Rows are numbered in the ORDER BY n order, so the i-th smallest seq is the i-th event.
          const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
          return assemble(
            fresh.map((event, i) => {
              const seq = seqs[i];
              if (seq === undefined) throw new Error(`append returned ${seqs.length} rows for ${fresh.length} events`);
              return { ...event, seq };
            }),
          );
        },
        `BEGIN; SELECT pg_advisory_xact_lock(${lockClass.append}, hashtext(current_schema()))`,
      );
    },
    async eventsAfter(after, limit) {
      const { rows } = await query<{ seq: string; body: UnnumberedEvent }>(
        'SELECT seq, body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [seqCursor(after), rowLimit(limit)],
      );
      return rows.map((r) => ({ ...r.body, seq: Number(r.seq) }));
    },
    async seqRange() {
      const { rows } = await query<{ first: string | null; last: string | null }>(
        'SELECT min(seq) AS first, max(seq) AS last FROM events',
      );
      return { first: Number(rows[0]?.first ?? 0), last: Number(rows[0]?.last ?? 0) };
    },
    async pruneEventsBefore(before) {
      return (await query('DELETE FROM events WHERE time < $1', [isoTime(before, 'before')])).rowCount;
    },

    async mergeVariables(uniqueid, variables, at) {
      const { set, remove } = splitChanges(variables);
      // A new call gets `set` alone; an existing one is checked in the statement itself.
      checkCallVariables(set);
      // One statement: concurrent merges on the same call (from several hubs) cannot lose
      // keys, nor together exceed the per-call limits (the row is locked while it is checked).
      const { rows } = await query<{ vars: Variables }>(
        `INSERT INTO variables (uniqueid, vars, updated_at) VALUES ($1, $2::jsonb, $4)
         ON CONFLICT (uniqueid) DO UPDATE
           SET vars = (variables.vars || EXCLUDED.vars) - $3::text[], updated_at = EXCLUDED.updated_at
           WHERE (SELECT count(*) <= $5 AND coalesce(sum(octet_length(key) + octet_length(value)), 0) <= $6
                  FROM jsonb_each_text((variables.vars || EXCLUDED.vars) - $3::text[]))
         RETURNING vars`,
        [uniqueid, JSON.stringify(set), remove, isoTime(at, 'at'), Limits.variablesPerCall, Limits.variablesBytesPerCall],
      );
      if (rows[0] === undefined) throw callVariablesTooLarge();
      return rows[0].vars;
    },
    async getVariables(uniqueid) {
      const { rows } = await query<{ vars: Variables }>('SELECT vars FROM variables WHERE uniqueid = $1', [uniqueid]);
      return rows[0]?.vars ?? {};
    },
    async pruneVariablesBefore(before) {
      return (await query('DELETE FROM variables WHERE updated_at < $1', [isoTime(before, 'before')])).rowCount;
    },

    async createToken(token) {
      const { rows } = await query<TokenRow>(
        `INSERT INTO tokens (id, role, peer, name, hash, created_at, scope) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING ${tokenColumns}`,
        [token.id, token.role, token.peer, token.name, token.hash, nowIso(), scopeText(token.scope)],
      );
      return toToken(rows[0] as TokenRow);
    },
    async findTokenByHash(hash) {
      const { rows } = await query<TokenRow>(
        `SELECT ${tokenColumns} FROM tokens WHERE hash = $1 AND revoked_at IS NULL`,
        [hash],
      );
      return rows[0] === undefined ? undefined : toToken(rows[0]);
    },
    async listTokens() {
      const { rows } = await query<TokenRow>(`SELECT ${tokenColumns} FROM tokens ORDER BY created_at, id`);
      return rows.map(toToken);
    },
    async revokedTokensSince(since) {
      const { rows } = await query<{ id: string; revoked_at: Date }>('SELECT id, revoked_at FROM tokens WHERE revoked_at >= $1 ORDER BY revoked_at, id', [since]);
      return rows.map((r) => ({ id: r.id, revokedAt: r.revoked_at.toISOString() }));
    },
    async revokeToken(id) {
      const result = await query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
        nowIso(),
        id,
      ]);
      return result.rowCount > 0;
    },
    async setTokenScope(id, scope) {
      const result = await query('UPDATE tokens SET scope = $1, scope_changed_at = $2 WHERE id = $3 AND revoked_at IS NULL', [scopeText(scope), nowIso(), id]);
      return result.rowCount > 0;
    },
    async scopeChangedSince(since) {
      const { rows } = await query<{ id: string; scope: string | null; scope_changed_at: Date }>(
        'SELECT id, scope, scope_changed_at FROM tokens WHERE scope_changed_at >= $1 ORDER BY scope_changed_at, id',
        [since],
      );
      return rows.map((r) => ({ id: r.id, scope: scopeFromText(r.scope), changedAt: r.scope_changed_at.toISOString() }));
    },

    async enqueue(item) {
      const result = await query(
        `INSERT INTO outbox (id, peer, kind, payload, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING`,
        [
          item.id,
          item.peer,
          item.kind,
          JSON.stringify(item.payload),
          isoTime(item.createdAt, 'createdAt'),
          isoTime(item.expiresAt, 'expiresAt'),
        ],
      );
      return result.rowCount > 0;
    },
    async pendingFor(peer, now) {
      const { rows } = await query<OutboxRow>(
        `SELECT id, peer, kind, payload, created_at, expires_at FROM outbox
         WHERE peer = $1 AND acked_at IS NULL AND expires_at > $2 ORDER BY pos`,
        [peer, isoTime(now, 'now')],
      );
      return rows.map(toOutboxItem);
    },
    async acknowledge(id, peer) {
      const result =
        peer === undefined
          ? await query('UPDATE outbox SET acked_at = $1 WHERE id = $2 AND acked_at IS NULL', [nowIso(), id])
          : await query('UPDATE outbox SET acked_at = $1 WHERE id = $2 AND peer = $3 AND acked_at IS NULL', [nowIso(), id, peer]);
      return result.rowCount > 0;
    },
    async dropOldest(peer, keep) {
      const result = await query(
        `DELETE FROM outbox WHERE pos IN (
           SELECT pos FROM outbox WHERE peer = $1 AND acked_at IS NULL ORDER BY pos DESC OFFSET $2
         )`,
        [peer, keep],
      );
      return result.rowCount;
    },
    async expireBefore(now) {
      const { rows } = await query<{ unacked: string }>(
        `WITH gone AS (DELETE FROM outbox WHERE expires_at <= $1 RETURNING acked_at)
         SELECT count(*) FILTER (WHERE acked_at IS NULL) AS unacked FROM gone`,
        [isoTime(now, 'now')],
      );
      return Number(rows[0]?.unacked ?? 0);
    },

    async pruneRealtimeBefore(before) {
      return (await query('DELETE FROM realtime WHERE time < $1', [isoTime(before, 'before')])).rowCount;
    },
    async addRealtime(row) {
      const result = await query('INSERT INTO realtime (id, type, channel, reference, url, time) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING', [
        row.id,
        row.type,
        JSON.stringify(row.channel),
        row.reference,
        row.url,
        isoTime(row.time, 'time'),
      ]);
      return result.rowCount > 0;
    },
    async listRealtime(q) {
      const { sql, params } = realtimeSelect(q, (n) => `$${n}`);
      const { rows } = await query<RealtimeDbRow>(sql, params);
      return rows.map((r) => ({ ...r, time: r.time.toISOString() }));
    },
  };
}
