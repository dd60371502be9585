import type { SqliteStatement } from '../sqlite/database.js';
import { isoTime, rowLimit } from '../normalize.js';
import { summaryChanges } from './deltas.js';
import {
  agentSlotsSql,
  pauseSpansSql,
  queueSlotsSql,
  toAgentSlot,
  toCallSummaries,
  toPauseSpan,
  toQueueSlot,
  type AgentSlotRow,
  type Placeholder,
  type CallAgentRow,
  type CallRow,
  type PauseRow,
  type QueueSlotRow,
} from './report-sql.js';
import {
  mergeAgentSlots,
  mergeQueueSlots,
  rollupAgentSql,
  rollupPlan,
  rollupQueueSql,
  rollupSlotMs,
  sqliteAgentRecompute,
  sqliteQueueRecompute,
  type DirtySlot,
} from './rollup.js';
import type { CallSummaryStore, SlotQuery } from './types.js';
import { agentColumns, agentsConflictSet, callColumns, callsConflictSet } from './upsert-sql.js';

const fn = { max: 'max', min: 'min' };
const q = (): string => '?';
/** RETURNING: the call's entry time after the merge. */
const upsertCallSql = `INSERT INTO calls (${callColumns}) VALUES (${callColumns.split(',').map(q).join(', ')}) ${callsConflictSet(fn)} RETURNING entered_ms`;
const upsertAgentSql = `INSERT INTO call_agents (${agentColumns}) VALUES (${agentColumns.split(',').map(q).join(', ')}) ${agentsConflictSet(fn, true)}`;
// better-sqlite3 binds every JS number as REAL: an integer division needs an INTEGER divisor.
const placeholder: Placeholder = (_n, type) => (type === 'int' ? 'CAST(? AS INTEGER)' : '?');

export interface SqliteCalls extends CallSummaryStore {
  /** Folds stored events into the summaries; call it inside the transaction that stores them. */
  record(events: readonly Record<string, unknown>[]): void;
}

/**
 * Call summaries in SQLite; `sql` is the store's statement cache, `transaction` runs a
 * function in one (better-sqlite3's, synchronous: nothing else writes meanwhile).
 */
export function createSqliteCalls(sql: (text: string) => SqliteStatement, transaction: (work: () => void) => void): SqliteCalls {
  const record = (events: readonly Record<string, unknown>[]): void => {
    const { calls, agents, pauses } = summaryChanges(events);
    const upsertCall = sql(upsertCallSql);
    // The call's entry time after the merge (RETURNING), per call key, for its peers' rows below.
    const entered = new Map<string, { uniqueid: string; queue: string; ms: number }>();
    for (const c of calls) {
      const row = upsertCall.get(c.uniqueid, c.queue, c.outbound, c.enteredMs, c.enteredExact, c.answeredMs, c.endedMs, c.peer, c.agentname,
        c.answered, c.abandoned, c.hungup, c.holdtime, c.talktime, c.reason) as { entered_ms: number };
      entered.set(`${c.uniqueid}\u0000${c.queue}`, { uniqueid: c.uniqueid, queue: c.queue, ms: row.entered_ms });
    }
    if (agents.length > 0) {
      // A peer's part counts when the call entered the queue, which a later event may correct.
      // The rows of this batch are written with the call's time at once (every one has its
      // call in the batch): an estimate written first and then corrected moved its index
      // entry twice.
      const upsertAgent = sql(upsertAgentSql);
      for (const a of agents) {
        const call = entered.get(`${a.uniqueid}\u0000${a.queue}`);
        if (call === undefined) throw new Error(`call_agents: no call ${a.uniqueid} in queue "${a.queue}" in the batch`);
        upsertAgent.run(a.uniqueid, a.queue, a.peer, a.agentname, call.ms, a.rings, a.ringNoAnswer, a.answered, a.hungup, a.talktime, a.outbound);
      }
      // The call's other peers, of earlier batches: only rows whose time differs, as in
      // PostgreSQL (an unchanged row is not rewritten, nor its rollup slot marked dirty).
      const sync = sql('UPDATE call_agents SET entered_ms = ? WHERE uniqueid = ? AND queue = ? AND entered_ms <> ?');
      for (const c of entered.values()) sync.run(c.ms, c.uniqueid, c.queue, c.ms);
    }
    for (const p of pauses) {
      if (p.paused) {
        sql('INSERT INTO agent_pauses (peer, queue, agentname, start_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(p.peer, p.queue, p.agentname, p.atMs);
      } else {
        sql('UPDATE agent_pauses SET end_ms = max(start_ms, ?) WHERE peer = ? AND queue = ? AND end_ms IS NULL').run(p.atMs, p.peer, p.queue);
      }
    }
  };

  const pruneChunk = 500;
  const prune = async (statement: SqliteStatement, cutoff: number): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = statement.run(cutoff, pruneChunk).changes;
      total += n;
      if (n < pruneChunk) return total;
      // Let the event loop run between chunks, as the store's other deletes do.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  /** Recomputes the dirty slots of one rollup (see rollup.ts), a chunk per transaction. */
  const refresh = (kind: 'queue' | 'agent'): void => {
    const [rollup, dirty, key, recompute] =
      kind === 'queue'
        ? ['queue_slots', 'queue_slots_dirty', 'queue', sqliteQueueRecompute]
        : ['agent_slots', 'agent_slots_dirty', 'peer', sqliteAgentRecompute];
    const chunk = 500;
    for (;;) {
      let n = 0;
      transaction(() => {
        const marks = sql(`SELECT ${key} AS key, slot, gen FROM ${dirty} LIMIT ${chunk}`).all() as DirtySlot[];
        n = marks.length;
        const clear = sql(`DELETE FROM ${rollup} WHERE slot = CAST(? AS INTEGER) AND ${key} = ?`);
        const fill = sql(recompute);
        const done = sql(`DELETE FROM ${dirty} WHERE ${key} = ? AND slot = CAST(? AS INTEGER) AND gen = CAST(? AS INTEGER)`);
        for (const m of marks) {
          clear.run(m.slot, m.key);
          fill.run(m.slot, m.slot * rollupSlotMs, (m.slot + 1) * rollupSlotMs, m.key);
          done.run(m.key, m.slot, m.gen);
        }
      });
      if (n < chunk) return;
    }
  };

  const rawQueueSlots = (query: SlotQuery) => {
    const { sql: text, params } = queueSlotsSql(query, placeholder);
    return (sql(text).all(...params) as QueueSlotRow[]).map(toQueueSlot);
  };
  const rawAgentSlots = (query: SlotQuery) => {
    const { sql: text, params } = agentSlotsSql(query, placeholder);
    return (sql(text).all(...params) as AgentSlotRow[]).map(toAgentSlot);
  };

  return {
    record,
    async listCalls(range) {
      const rows = sql(
        `SELECT ${callColumns} FROM calls WHERE entered_ms >= ? AND entered_ms < ? ORDER BY entered_ms, uniqueid, queue LIMIT ?`,
      ).all(Math.floor(range.fromMs), Math.ceil(range.toMs), rowLimit(range.limit)) as CallRow[];
      const agentRows = sql('SELECT uniqueid, queue, peer, rings, ring_no_answer FROM call_agents WHERE uniqueid = ? AND queue = ?');
      const parts = rows.flatMap((r) => agentRows.all(r.uniqueid, r.queue) as CallAgentRow[]);
      return toCallSummaries(rows, parts);
    },
    async queueSlots(query) {
      const plan = rollupPlan(query, true);
      if (plan === undefined) return rawQueueSlots(query);
      refresh('queue');
      const { sql: text, params } = rollupQueueSql(query, plan, placeholder);
      const whole = (sql(text).all(...params) as QueueSlotRow[]).map(toQueueSlot);
      return mergeQueueSlots([whole, ...plan.edges.map((edge) => rawQueueSlots({ ...query, ...edge }))]);
    },
    async agentSlots(query) {
      const plan = rollupPlan(query, false);
      if (plan === undefined) return rawAgentSlots(query);
      refresh('agent');
      const { sql: text, params } = rollupAgentSql(query, plan, placeholder);
      const whole = (sql(text).all(...params) as AgentSlotRow[]).map(toAgentSlot);
      return mergeAgentSlots([whole, ...plan.edges.map((edge) => rawAgentSlots({ ...query, ...edge }))]);
    },
    async pauseSpans(range) {
      const { sql: text, params } = pauseSpansSql(range, placeholder);
      return (sql(text).all(...params) as PauseRow[]).map(toPauseSpan);
    },
    async pruneCallsBefore(before) {
      const cutoff = Date.parse(isoTime(before, 'before'));
      const calls = await prune(sql('DELETE FROM calls WHERE rowid IN (SELECT rowid FROM calls WHERE entered_ms < ? LIMIT ?)'), cutoff);
      await prune(sql('DELETE FROM call_agents WHERE rowid IN (SELECT rowid FROM call_agents WHERE entered_ms < ? LIMIT ?)'), cutoff);
      await prune(sql('DELETE FROM agent_pauses WHERE id IN (SELECT id FROM agent_pauses WHERE end_ms < ? LIMIT ?)'), cutoff);
      return calls;
    },
  };
}
