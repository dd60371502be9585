import type { RealtimeRow, Variables } from '@shuttle-cti/protocol';
import { eventIdOf } from '../event-ids.js';
import type { AppendedEvent, NewToken, OutboxItem, OutboxKind, Store, TokenRecord, UnnumberedEvent } from '../store.js';
import { isoTime, nowIso, rowLimit, seqCursor, textField } from '../normalize.js';
import { realtimeSelect } from '../realtime-query.js';
import { applyChanges, checkCallVariables } from '../variables.js';
import { createSqliteCalls } from '../calls/sqlite-calls.js';
import { scopeFromText, scopeText } from '../token-scopes.js';
import { createSqliteWebhooks } from '../webhooks/sqlite-webhooks.js';
import { startCheckpointer } from './checkpointer.js';
import { createStatementCache, migrateSqlite, openSqlite } from './database.js';
import { createWriteBatcher } from './write-batcher.js';

export interface SqliteStoreOptions {
  /** Path of the database file; missing parent directories are created. */
  file: string;
  /**
   * Checkpoint the WAL in a worker thread rather than inside commits (default true):
   * keeps the fsync of a checkpoint off the event loop. Off for short-lived uses.
   */
  backgroundCheckpoints?: boolean;
  /** Told when the background checkpointer fails (the store then checkpoints in its commits). */
  onCheckpointError?: (error: Error) => void;
}

interface TokenRow {
  id: string;
  role: TokenRecord['role'];
  peer: string | null;
  name: string;
  created_at: string;
  revoked_at: string | null;
  scope: string | null;
}

interface OutboxRow {
  id: string;
  peer: string;
  kind: OutboxKind;
  /** The JSON of the payload of `kind` (written with it by `enqueue`). */
  payload: string;
  created_at: string;
  expires_at: string;
}

interface RealtimeDbRow extends Omit<RealtimeRow, 'channel'> {
  channel: string;
}

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  role: r.role,
  peer: r.peer,
  name: r.name,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  scope: scopeFromText(r.scope),
});

const tokenColumns = 'id, role, peer, name, created_at, revoked_at, scope';

const toOutboxItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  peer: r.peer,
  kind: r.kind,
  payload: JSON.parse(r.payload),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** Rows per statement when deleting old rows (see deleteInChunks). */
const deleteChunk = 500;

/**
 * The embedded store: one SQLite file, used through better-sqlite3. The driver is
 * synchronous, so each method runs to completion before the next starts; the async
 * signatures only match the Store interface.
 *
 * @example
 * const store = createSqliteStore({ file: './data/shuttle-cti.sqlite' });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const db = openSqlite(options.file);
  const sql = createStatementCache(db);
  const checkpointer =
    (options.backgroundCheckpoints ?? true) && options.file !== ':memory:'
      ? startCheckpointer(db, options.file, options.onCheckpointError ? { onError: options.onCheckpointError } : {})
      : undefined;

  // One transaction per batch: a single fsync (in WAL, at checkpoint) instead of one per event.
  // An event with an id is inserted unless the id is stored already (the unique index
  // decides, inside the transaction and its write lock, so no other process can slip the
  // same id in between); only a repeat costs a look-up, of the original.
  // Immediate: the refresh reads its marks first, and a read transaction that then writes
  // could fail at once (SQLITE_BUSY) where one that takes the write lock up front waits.
  const calls = createSqliteCalls(sql, (work) => db.transaction(work).immediate());
  const appendBatch = db.transaction((events: readonly UnnumberedEvent[]): AppendedEvent[] => {
    const insert = sql(
      'INSERT INTO events (event, uniqueid, time, body, eventid) VALUES (?, ?, ?, ?, ?) ON CONFLICT (eventid) WHERE eventid IS NOT NULL DO NOTHING',
    );
    const original = sql('SELECT seq, body FROM events WHERE eventid = ?');
    const stored = events.map((event): AppendedEvent => {
      const eventid = eventIdOf(event);
      const { changes, lastInsertRowid } = insert.run(
        textField(event.event, 'event'),
        // agentstate (protocol 1.2) concerns a peer, not a call: it has no uniqueid.
        textField(event.uniqueid ?? '', 'uniqueid'),
        isoTime(event.time, 'time'),
        JSON.stringify(event),
        eventid,
      );
      if (changes === 1) return { ...event, seq: Number(lastInsertRowid) };
      const row = original.get(eventid) as { seq: number; body: string };
      return { ...(JSON.parse(row.body) as UnnumberedEvent), seq: row.seq, duplicate: true };
    });
    // In the same transaction: a call's summary is exactly as stored as its events (a
    // repeated eventid was not stored again, so it does not count again).
    calls.record(stored.filter((event) => event.duplicate !== true));
    return stored;
  });

  const mergeVars = db.transaction((uniqueid: string, changes: Variables, at: string): Variables => {
    const row = sql('SELECT vars FROM variables WHERE uniqueid = ?').get(uniqueid) as { vars: string } | undefined;
    const merged = applyChanges(row === undefined ? {} : (JSON.parse(row.vars) as Variables), changes);
    checkCallVariables(merged);
    sql(
      `INSERT INTO variables (uniqueid, vars, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (uniqueid) DO UPDATE SET vars = excluded.vars, updated_at = excluded.updated_at`,
    ).run(uniqueid, JSON.stringify(merged), at);
    return merged;
  });

  const outbox = createWriteBatcher(db);

  /**
   * Deletes in chunks of `deleteChunk` rows, letting the event loop run between them:
   * one statement deleting 13,000 expired commands (what 5,000 events/s leave behind)
   * held the loop for 45–49 ms on this project's machine, 92–119 ms when its commit also
   * checkpointed; 500 rows take at most 8–11 ms. `run` deletes one chunk and returns the
   * rows it deleted.
   */
  async function deleteInChunks<T>(run: () => T[]): Promise<T[]> {
    const deleted: T[] = [];
    for (;;) {
      const rows = run();
      deleted.push(...rows);
      if (rows.length < deleteChunk) return deleted;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    ...createSqliteWebhooks(sql),
    kind: 'sqlite',
    listCalls: calls.listCalls,
    queueSlots: calls.queueSlots,
    agentSlots: calls.agentSlots,
    pauseSpans: calls.pauseSpans,
    pruneCallsBefore: calls.pruneCallsBefore,

    async migrate() {
      migrateSqlite(db);
    },
    async ping() {
      sql('SELECT 1').get();
    },
    async close() {
      outbox.flush();
      await checkpointer?.stop();
      if (db.open) db.close();
    },

    async appendEvents(events) {
      if (events.length === 0) return [];
      // IMMEDIATE: take the write lock up front, so another process cannot interleave.
      return appendBatch.immediate(events);
    },
    async eventsAfter(after, limit) {
      const rows = sql('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(
        seqCursor(after),
        rowLimit(limit),
      ) as { seq: number; body: string }[];
      return rows.map((r) => ({ ...(JSON.parse(r.body) as UnnumberedEvent), seq: r.seq }));
    },
    async seqRange() {
      const row = sql('SELECT min(seq) AS first, max(seq) AS last FROM events').get() as {
        first: number | null;
        last: number | null;
      };
      return { first: row.first ?? 0, last: row.last ?? 0 };
    },
    async pruneEventsBefore(before) {
      const cutoff = isoTime(before, 'before');
      const statement = sql('DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE time < ? LIMIT ?) RETURNING seq');
      return (await deleteInChunks(() => statement.all(cutoff, deleteChunk))).length;
    },

    async mergeVariables(uniqueid, variables, at) {
      return mergeVars.immediate(uniqueid, variables, isoTime(at, 'at'));
    },
    async getVariables(uniqueid) {
      const row = sql('SELECT vars FROM variables WHERE uniqueid = ?').get(uniqueid) as { vars: string } | undefined;
      return row === undefined ? {} : (JSON.parse(row.vars) as Variables);
    },
    async pruneVariablesBefore(before) {
      const cutoff = isoTime(before, 'before');
      const statement = sql(
        'DELETE FROM variables WHERE uniqueid IN (SELECT uniqueid FROM variables WHERE updated_at < ? LIMIT ?) RETURNING uniqueid',
      );
      return (await deleteInChunks(() => statement.all(cutoff, deleteChunk))).length;
    },

    async createToken(token: NewToken) {
      const row = sql(
        `INSERT INTO tokens (id, role, peer, name, hash, created_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?)
         RETURNING ${tokenColumns}`,
      ).get(token.id, token.role, token.peer, token.name, token.hash, nowIso(), scopeText(token.scope)) as TokenRow;
      return toToken(row);
    },
    async findTokenByHash(hash) {
      const row = sql(
        `SELECT ${tokenColumns} FROM tokens WHERE hash = ? AND revoked_at IS NULL`,
      ).get(hash) as TokenRow | undefined;
      return row === undefined ? undefined : toToken(row);
    },
    async listTokens() {
      const rows = sql(
        `SELECT ${tokenColumns} FROM tokens ORDER BY created_at, id`,
      ).all() as TokenRow[];
      return rows.map(toToken);
    },
    async revokedTokensSince(since) {
      const rows = sql('SELECT id, revoked_at FROM tokens WHERE revoked_at >= ? ORDER BY revoked_at, id').all(since) as { id: string; revoked_at: string }[];
      return rows.map((r) => ({ id: r.id, revokedAt: r.revoked_at }));
    },
    async revokeToken(id) {
      return sql('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(nowIso(), id).changes > 0;
    },
    async setTokenScope(id, scope) {
      return sql('UPDATE tokens SET scope = ?, scope_changed_at = ? WHERE id = ? AND revoked_at IS NULL').run(scopeText(scope), nowIso(), id).changes > 0;
    },
    async scopeChangedSince(since) {
      const rows = sql('SELECT id, scope, scope_changed_at FROM tokens WHERE scope_changed_at >= ? ORDER BY scope_changed_at, id').all(since) as {
        id: string;
        scope: string | null;
        scope_changed_at: string;
      }[];
      return rows.map((r) => ({ id: r.id, scope: scopeFromText(r.scope), changedAt: r.scope_changed_at }));
    },

    async enqueue(item) {
      const row = [
        item.id,
        item.peer,
        item.kind,
        JSON.stringify(item.payload),
        isoTime(item.createdAt, 'createdAt'),
        isoTime(item.expiresAt, 'expiresAt'),
      ];
      return outbox.write(
        () =>
          sql(
            `INSERT INTO outbox (id, peer, kind, payload, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING`,
          ).run(...row).changes > 0,
        'soon',
      );
    },
    async pendingFor(peer, now) {
      const rows = sql(
        `SELECT id, peer, kind, payload, created_at, expires_at FROM outbox
         WHERE peer = ? AND acked_at IS NULL AND expires_at > ? ORDER BY pos`,
      ).all(peer, isoTime(now, 'now')) as OutboxRow[];
      return rows.map(toOutboxItem);
    },
    async acknowledge(id, peer) {
      const at = nowIso();
      if (peer !== undefined) {
        return outbox.write(() => sql('UPDATE outbox SET acked_at = ? WHERE id = ? AND peer = ? AND acked_at IS NULL').run(at, id, peer).changes > 0, 'later');
      }
      return outbox.write(() => sql('UPDATE outbox SET acked_at = ? WHERE id = ? AND acked_at IS NULL').run(at, id).changes > 0, 'later');
    },
    async dropOldest(peer, keep) {
      return sql(
        `DELETE FROM outbox WHERE pos IN (
           SELECT pos FROM outbox WHERE peer = ? AND acked_at IS NULL ORDER BY pos DESC LIMIT -1 OFFSET ?
         )`,
      ).run(peer, keep).changes;
    },
    async expireBefore(now) {
      const cutoff = isoTime(now, 'now');
      const statement = sql(
        'DELETE FROM outbox WHERE pos IN (SELECT pos FROM outbox WHERE expires_at <= ? LIMIT ?) RETURNING acked_at',
      );
      const gone = await deleteInChunks(() => statement.all(cutoff, deleteChunk) as { acked_at: string | null }[]);
      return gone.filter((row) => row.acked_at === null).length;
    },

    async addRealtime(row) {
      return (
        sql('INSERT INTO realtime (id, type, channel, reference, url, time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING').run(
          row.id,
          row.type,
          JSON.stringify(row.channel),
          row.reference,
          row.url,
          isoTime(row.time, 'time'),
        ).changes > 0
      );
    },
    async pruneRealtimeBefore(before) {
      const cutoff = isoTime(before, 'before');
      const statement = sql('DELETE FROM realtime WHERE pos IN (SELECT pos FROM realtime WHERE time < ? LIMIT ?) RETURNING pos');
      return (await deleteInChunks(() => statement.all(cutoff, deleteChunk))).length;
    },
    async listRealtime(query) {
      const { sql: text, params } = realtimeSelect(query, () => '?');
      const rows = sql(text).all(...params) as RealtimeDbRow[];
      return rows.map((r) => ({ ...r, channel: JSON.parse(r.channel) as Record<string, unknown> }));
    },
  };
}
