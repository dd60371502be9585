import { isoTime, rowLimit } from '../normalize.js';
import type { PgClient } from '../postgres/pool.js';
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
  type CallAgentRow,
  type CallRow,
  type PauseRow,
  type Placeholder,
  type QueueSlotRow,
} from './report-sql.js';
import {
  mergeAgentSlots,
  mergeQueueSlots,
  postgresAgentRecompute,
  postgresQueueRecompute,
  rollupAgentSql,
  rollupPlan,
  rollupQueueSql,
} from './rollup.js';
import type { CallSummaryStore, SlotQuery } from './types.js';
import { agentColumns, agentsConflictSet, callColumns, callsConflictSet } from './upsert-sql.js';

const fn = { max: 'greatest', min: 'least' };
const p: Placeholder = (n, type) => `$${n}::${type === 'int' ? 'bigint' : 'float8'}`;

type Query = <R extends object>(text: string, params?: unknown[]) => Promise<{ rows: R[]; rowCount: number }>;
/** Runs `work` in a transaction opened with `begin`. */
type Transaction = <T>(work: (client: PgClient) => Promise<T>, begin: string) => Promise<T>;

/** Advisory locks (class ids of store/postgres/migrate.ts) a rollup refresh takes. */
export interface RollupLocks {
  rollup: number;
  append: number;
}

export interface PostgresCalls extends CallSummaryStore {
  /** Folds stored events into the summaries, on the connection of the transaction that stores them. */
  record(client: PgClient, events: readonly Record<string, unknown>[]): Promise<void>;
}

/**
 * Call summaries in PostgreSQL. A batch's changes go in one upsert per table (the
 * deltas are merged per row in memory first: one statement may not touch a row twice).
 */
export function createPostgresCalls(query: Query, transaction: Transaction, locks: RollupLocks): PostgresCalls {
  async function record(client: PgClient, events: readonly Record<string, unknown>[]): Promise<void> {
    const { calls, agents, pauses } = summaryChanges(events);
    if (calls.length > 0) {
      await client.query(
        `INSERT INTO calls (${callColumns})
         SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[], $5::smallint[], $6::bigint[], $7::bigint[],
           $8::text[], $9::text[], $10::smallint[], $11::smallint[], $12::smallint[], $13::float8[], $14::float8[], $15::text[])
         ${callsConflictSet(fn)}`,
        [
          calls.map((c) => c.uniqueid),
          calls.map((c) => c.queue),
          calls.map((c) => c.outbound),
          calls.map((c) => Math.round(c.enteredMs)),
          calls.map((c) => c.enteredExact),
          calls.map((c) => c.answeredMs),
          calls.map((c) => c.endedMs),
          calls.map((c) => c.peer),
          calls.map((c) => c.agentname),
          calls.map((c) => c.answered),
          calls.map((c) => c.abandoned),
          calls.map((c) => c.hungup),
          calls.map((c) => c.holdtime),
          calls.map((c) => c.talktime),
          calls.map((c) => c.reason),
        ],
      );
    }
    if (agents.length > 0) {
      await client.query(
        `INSERT INTO call_agents (${agentColumns})
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::int[],
           $8::smallint[], $9::smallint[], $10::float8[], $11::smallint[])
         ${agentsConflictSet(fn)}`,
        [
          agents.map((a) => a.uniqueid),
          agents.map((a) => a.queue),
          agents.map((a) => a.peer),
          agents.map((a) => a.agentname),
          agents.map((a) => Math.round(a.enteredMs)),
          agents.map((a) => a.rings),
          agents.map((a) => a.ringNoAnswer),
          agents.map((a) => a.answered),
          agents.map((a) => a.hungup),
          agents.map((a) => a.talktime),
          agents.map((a) => a.outbound),
        ],
      );
      // A peer's part counts when the call entered the queue, which a later event may correct.
      await client.query(
        `UPDATE call_agents a SET entered_ms = c.entered_ms
         FROM calls c, unnest($1::text[], $2::text[]) AS k(uniqueid, queue)
         WHERE c.uniqueid = k.uniqueid AND c.queue = k.queue AND a.uniqueid = k.uniqueid AND a.queue = k.queue
           AND a.entered_ms <> c.entered_ms`,
        [calls.map((c) => c.uniqueid), calls.map((c) => c.queue)],
      );
    }
    for (const change of pauses) {
      if (change.paused) {
        await client.query('INSERT INTO agent_pauses (peer, queue, agentname, start_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
          change.peer,
          change.queue,
          change.agentname,
          change.atMs,
        ]);
      } else {
        await client.query('UPDATE agent_pauses SET end_ms = greatest(start_ms, $1) WHERE peer = $2 AND queue = $3 AND end_ms IS NULL', [
          change.atMs,
          change.peer,
          change.queue,
        ]);
      }
    }
  }

  /**
   * Recomputes the dirty slots of one rollup (see rollup.ts), a chunk per transaction.
   * Refreshes run one at a time across hubs (the rollup lock); the dirty marks are cleared
   * under the append lock, which the hubs' appends hold while their triggers bump the
   * marks: so no append waits on a refresh but for that last statement, and none can
   * deadlock with it.
   */
  const refresh = async (kind: 'queue' | 'agent'): Promise<void> => {
    const [rollup, dirty, key, recompute] =
      kind === 'queue'
        ? ['queue_slots', 'queue_slots_dirty', 'queue', postgresQueueRecompute]
        : ['agent_slots', 'agent_slots_dirty', 'peer', postgresAgentRecompute];
    const chunk = 2000;
    const schema = 'hashtext(current_schema())';
    for (;;) {
      const n = await transaction(async (client) => {
        const { rows } = await client.query<{ key: string; slot: string; gen: string }>(
          `SELECT ${key} AS key, slot, gen FROM ${dirty} LIMIT ${chunk}`,
        );
        if (rows.length === 0) return 0;
        const keys = rows.map((r) => r.key);
        const slots = rows.map((r) => r.slot);
        await client.query(
          `DELETE FROM ${rollup} r USING unnest($1::text[], $2::bigint[]) AS d(${key}, slot) WHERE r.${key} = d.${key} AND r.slot = d.slot`,
          [keys, slots],
        );
        await client.query(recompute, [keys, slots]);
        await client.query(`SELECT pg_advisory_xact_lock(${locks.append}, ${schema})`);
        await client.query(
          `DELETE FROM ${dirty} t USING unnest($1::text[], $2::bigint[], $3::bigint[]) AS d(${key}, slot, gen)
           WHERE t.${key} = d.${key} AND t.slot = d.slot AND t.gen = d.gen`,
          [keys, slots, rows.map((r) => r.gen)],
        );
        return rows.length;
      }, `BEGIN; SELECT pg_advisory_xact_lock(${locks.rollup}, ${schema})`);
      if (n < chunk) return;
    }
  };

  const rawQueueSlots = async (q: SlotQuery) => {
    const { sql, params } = queueSlotsSql(q, p);
    return (await query<QueueSlotRow>(sql, params)).rows.map(toQueueSlot);
  };
  const rawAgentSlots = async (q: SlotQuery) => {
    const { sql, params } = agentSlotsSql(q, p);
    return (await query<AgentSlotRow>(sql, params)).rows.map(toAgentSlot);
  };

  return {
    record,
    async listCalls(range) {
      const { rows } = await query<CallRow>(
        `SELECT ${callColumns} FROM calls WHERE entered_ms >= $1 AND entered_ms < $2 ORDER BY entered_ms, uniqueid, queue LIMIT $3`,
        [Math.floor(range.fromMs), Math.ceil(range.toMs), rowLimit(range.limit)],
      );
      const parts = await query<CallAgentRow>(
        `SELECT a.uniqueid, a.queue, a.peer, a.rings, a.ring_no_answer
         FROM call_agents a JOIN unnest($1::text[], $2::text[]) AS k(uniqueid, queue) ON a.uniqueid = k.uniqueid AND a.queue = k.queue`,
        [rows.map((r) => r.uniqueid), rows.map((r) => r.queue)],
      );
      return toCallSummaries(rows, parts.rows);
    },
    async queueSlots(q) {
      const plan = rollupPlan(q, true);
      if (plan === undefined) return rawQueueSlots(q);
      await refresh('queue');
      const { sql, params } = rollupQueueSql(q, plan, p);
      const whole = (await query<QueueSlotRow>(sql, params)).rows.map(toQueueSlot);
      return mergeQueueSlots([whole, ...(await Promise.all(plan.edges.map((edge) => rawQueueSlots({ ...q, ...edge }))))]);
    },
    async agentSlots(q) {
      const plan = rollupPlan(q, false);
      if (plan === undefined) return rawAgentSlots(q);
      await refresh('agent');
      const { sql, params } = rollupAgentSql(q, plan, p);
      const whole = (await query<AgentSlotRow>(sql, params)).rows.map(toAgentSlot);
      return mergeAgentSlots([whole, ...(await Promise.all(plan.edges.map((edge) => rawAgentSlots({ ...q, ...edge }))))]);
    },
    async pauseSpans(range) {
      const { sql, params } = pauseSpansSql(range, p);
      return (await query<PauseRow>(sql, params)).rows.map(toPauseSpan);
    },
    async pruneCallsBefore(before) {
      const cutoff = Date.parse(isoTime(before, 'before'));
      const calls = await query('DELETE FROM calls WHERE entered_ms < $1', [cutoff]);
      await query('DELETE FROM call_agents WHERE entered_ms < $1', [cutoff]);
      await query('DELETE FROM agent_pauses WHERE end_ms < $1', [cutoff]);
      return calls.rowCount;
    },
  };
}
