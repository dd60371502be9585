import type { AgentSlot, CallRange, QueueSlot, SlotQuery } from './types.js';
import { builder, type Placeholder, type Statement } from './report-sql.js';

/**
 * The reports' rollups (migration 6): the sums of the call summaries per queue (and per
 * peer) and 15-minute slot of entry time, so a report over a month adds up a few
 * thousand rows instead of a million calls.
 *
 * They are kept by triggers, not by the code that writes the summaries: every insert,
 * update or delete of a summary marks its slot (before and after the change) dirty in
 * `queue_slots_dirty` / `agent_slots_dirty`, bumping a generation number. A report first
 * recomputes the dirty slots from the summaries, then reads the rollup. A slot's sums are
 * always recomputed whole, never adjusted by a difference, so a call that moves from one
 * slot to another (its entry time corrected by a later event) or is pruned leaves nothing
 * behind; and a dirty mark is cleared only if its generation has not moved since it was
 * read, so a change that lands during a recomputation is recomputed again next time.
 */
export const rollupSlotMs = 900_000;

/**
 * The service-level thresholds (seconds) kept in the rollup, one column each; a report
 * with another `sla` is computed from the summaries (correct, just slower).
 */
export const rollupSlaSteps = [0, 5, 10, 15, 20, 25, 30, 40, 45, 60, 90, 120, 180, 240, 300] as const;

const withinColumn = (sla: number): string => `within_${sla}`;

/** The queue sums of a set of `calls` rows (SQL expressions, in `queue_slots` column order after slot, queue). */
export const queueSumColumns = [
  'answered',
  'abandoned',
  ...rollupSlaSteps.map(withinColumn),
  'hold_sum',
  'handled',
  'talk_sum',
  'max_wait',
] as const;

const queueSumExpressions = [
  'sum(answered)',
  'sum(abandoned * (1 - answered))',
  ...rollupSlaSteps.map((s) => `sum(CASE WHEN answered = 1 AND holdtime <= ${s} THEN 1 ELSE 0 END)`),
  'sum(CASE WHEN answered = 1 THEN coalesce(holdtime, 0) ELSE 0 END)',
  'sum(answered * hungup)',
  'sum(CASE WHEN answered = 1 AND hungup = 1 THEN coalesce(talktime, 0) ELSE 0 END)',
  'max(CASE WHEN answered = 1 OR abandoned = 1 THEN holdtime END)',
].join(', ');

export const agentSumColumns = ['agentname', 'rings', 'answered', 'ring_no_answer', 'handled', 'talk_sum', 'outbound'] as const;

const agentSumExpressions = [
  'max(agentname)',
  'sum(rings)',
  'sum(answered)',
  'sum(ring_no_answer)',
  'sum(answered * hungup)',
  'sum(CASE WHEN answered = 1 AND hungup = 1 THEN coalesce(talktime, 0) ELSE 0 END)',
  'sum(outbound)',
].join(', ');

/** The slot of an entry time, in SQL (`ms` an integer-valued column or NEW./OLD. reference). */
export function slotExpression(ms: string, dialect: 'sqlite' | 'postgres'): string {
  // PostgreSQL's bigint division truncates; SQLite's CAST makes a REAL-stored value an integer too.
  return dialect === 'postgres' ? `(${ms} / ${rollupSlotMs})` : `CAST(${ms} / ${rollupSlotMs} AS INTEGER)`;
}

/** Fills the rollups from the summaries already stored (run once, by the migration). */
export function backfillSql(dialect: 'sqlite' | 'postgres'): string {
  const slot = slotExpression('entered_ms', dialect);
  return `
    INSERT INTO queue_slots (slot, queue, ${queueSumColumns.join(', ')})
      SELECT ${slot}, queue, ${queueSumExpressions} FROM calls WHERE outbound = 0 GROUP BY 1, 2;
    INSERT INTO agent_slots (slot, peer, ${agentSumColumns.join(', ')})
      SELECT ${slot}, peer, ${agentSumExpressions} FROM call_agents GROUP BY 1, 2;`;
}

/** One queue's (or peer's) slot to recompute, with the generation its dirty mark had. */
export interface DirtySlot {
  key: string;
  slot: number;
  gen: number;
}

/** The sums of one queue slot from the summaries, for SQLite (parameters: slot, queue, from, to). */
export const sqliteQueueRecompute = `INSERT INTO queue_slots (slot, queue, ${queueSumColumns.join(', ')})
  SELECT CAST(? AS INTEGER), queue, ${queueSumExpressions} FROM calls
  WHERE outbound = 0 AND entered_ms >= CAST(? AS INTEGER) AND entered_ms < CAST(? AS INTEGER) AND queue = ? GROUP BY queue`;

export const sqliteAgentRecompute = `INSERT INTO agent_slots (slot, peer, ${agentSumColumns.join(', ')})
  SELECT CAST(? AS INTEGER), peer, ${agentSumExpressions} FROM call_agents
  WHERE entered_ms >= CAST(? AS INTEGER) AND entered_ms < CAST(? AS INTEGER) AND peer = ? GROUP BY peer`;

/** The same for PostgreSQL, for many slots at once ($1 keys, $2 slots). */
export const postgresQueueRecompute = `INSERT INTO queue_slots (slot, queue, ${queueSumColumns.join(', ')})
  SELECT d.slot, d.queue, ${queueSumExpressions}
  FROM unnest($1::text[], $2::bigint[]) AS d(queue, slot)
  JOIN calls c ON c.outbound = 0 AND c.entered_ms >= d.slot * ${rollupSlotMs} AND c.entered_ms < (d.slot + 1) * ${rollupSlotMs} AND c.queue = d.queue
  GROUP BY d.slot, d.queue`;

export const postgresAgentRecompute = `INSERT INTO agent_slots (slot, peer, ${agentSumColumns.join(', ')})
  SELECT d.slot, d.peer, ${agentSumExpressions}
  FROM unnest($1::text[], $2::bigint[]) AS d(peer, slot)
  JOIN call_agents a ON a.entered_ms >= d.slot * ${rollupSlotMs} AND a.entered_ms < (d.slot + 1) * ${rollupSlotMs} AND a.peer = d.peer
  GROUP BY d.slot, d.peer`;

/**
 * How a slot query is answered: the whole 15-minute slots of its range from the rollup
 * (`fromSlot` inclusive, `toSlot` exclusive), the parts of a slot at either end from the
 * summaries. `undefined` when the rollup cannot answer it at all: a service-level
 * threshold it does not keep, or slots that are not whole multiples of its own.
 */
export interface RollupPlan {
  fromSlot: number;
  toSlot: number;
  /** Ranges at the ends, not whole slots, read from the summaries. */
  edges: CallRange[];
}

export function rollupPlan(q: SlotQuery, needsSla: boolean): RollupPlan | undefined {
  if (needsSla && !(rollupSlaSteps as readonly number[]).includes(q.sla)) return undefined;
  if (q.slotMs !== 0 && q.slotMs % rollupSlotMs !== 0) return undefined;
  const fromSlot = Math.ceil(q.fromMs / rollupSlotMs);
  const toSlot = Math.floor(q.toMs / rollupSlotMs);
  if (fromSlot >= toSlot) return undefined;
  const edges: CallRange[] = [];
  if (q.fromMs < fromSlot * rollupSlotMs) edges.push({ fromMs: q.fromMs, toMs: fromSlot * rollupSlotMs });
  if (toSlot * rollupSlotMs < q.toMs) edges.push({ fromMs: toSlot * rollupSlotMs, toMs: q.toMs });
  return { fromSlot, toSlot, edges };
}

/** The report's slot of a rollup slot. */
const reportSlot = (q: SlotQuery, add: (value: number, type: 'int') => string): string =>
  q.slotMs === 0 ? '0' : q.slotMs === rollupSlotMs ? 'slot' : `slot / ${add(q.slotMs / rollupSlotMs, 'int')}`;

/** Rows shaped like queueSlotsSql's, from the rollup. */
export function rollupQueueSql(q: SlotQuery, plan: RollupPlan, p: Placeholder): Statement {
  const { add, params } = builder(p);
  const slot = reportSlot(q, add);
  const from = add(plan.fromSlot, 'int');
  const to = add(plan.toSlot, 'int');
  return {
    sql: `SELECT queue, ${slot} AS slot, sum(answered) AS answered, sum(abandoned) AS abandoned,
        sum(${withinColumn(q.sla)}) AS within_sla, sum(hold_sum) AS hold_sum, sum(handled) AS handled,
        sum(talk_sum) AS talk_sum, max(max_wait) AS max_wait
      FROM queue_slots WHERE slot >= ${from} AND slot < ${to}
      GROUP BY queue, 2`,
    params,
  };
}

export function rollupAgentSql(q: SlotQuery, plan: RollupPlan, p: Placeholder): Statement {
  const { add, params } = builder(p);
  const slot = reportSlot(q, add);
  const from = add(plan.fromSlot, 'int');
  const to = add(plan.toSlot, 'int');
  return {
    sql: `SELECT peer, max(agentname) AS agentname, ${slot} AS slot, sum(rings) AS rings, sum(answered) AS answered,
        sum(ring_no_answer) AS ring_no_answer, sum(handled) AS handled, sum(talk_sum) AS talk_sum, sum(outbound) AS outbound
      FROM agent_slots WHERE slot >= ${from} AND slot < ${to}
      GROUP BY peer, 3`,
    params,
  };
}

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Adds up slot sums that came from several reads (rollup and ends), per queue and slot. */
export function mergeQueueSlots(parts: readonly QueueSlot[][]): QueueSlot[] {
  if (parts.length === 1) return parts[0] ?? [];
  const out = new Map<string, QueueSlot>();
  for (const s of parts.flat()) {
    const key = `${s.queue}\u0000${s.slot}`;
    const old = out.get(key);
    out.set(
      key,
      old === undefined
        ? { ...s }
        : {
            queue: s.queue,
            slot: s.slot,
            answered: old.answered + s.answered,
            abandoned: old.abandoned + s.abandoned,
            answeredWithinSla: old.answeredWithinSla + s.answeredWithinSla,
            holdSum: old.holdSum + s.holdSum,
            handled: old.handled + s.handled,
            talkSum: old.talkSum + s.talkSum,
            maxWait: maxOf(old.maxWait, s.maxWait),
          },
    );
  }
  return [...out.values()];
}

export function mergeAgentSlots(parts: readonly AgentSlot[][]): AgentSlot[] {
  if (parts.length === 1) return parts[0] ?? [];
  const out = new Map<string, AgentSlot>();
  for (const s of parts.flat()) {
    const key = `${s.peer}\u0000${s.slot}`;
    const old = out.get(key);
    out.set(
      key,
      old === undefined
        ? { ...s }
        : {
            peer: s.peer,
            agentname: old.agentname !== null && (s.agentname === null || old.agentname > s.agentname) ? old.agentname : s.agentname,
            slot: s.slot,
            rings: old.rings + s.rings,
            answered: old.answered + s.answered,
            ringNoAnswer: old.ringNoAnswer + s.ringNoAnswer,
            handled: old.handled + s.handled,
            talkSum: old.talkSum + s.talkSum,
            outbound: old.outbound + s.outbound,
          },
    );
  }
  return [...out.values()];
}

/** The rollup tables, their dirty marks and the triggers that keep the marks (migration 6). */
export function rollupSchemaSql(dialect: 'sqlite' | 'postgres'): string {
  const int = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  const real = dialect === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  const without = dialect === 'sqlite' ? ' WITHOUT ROWID' : '';
  const queueCols = queueSumColumns
    .map((c) => `${c} ${c === 'max_wait' ? real : c.endsWith('_sum') ? `${real} NOT NULL` : `${int} NOT NULL`}`)
    .join(', ');
  const agentCols = agentSumColumns
    .map((c) => `${c} ${c === 'agentname' ? 'TEXT' : c.endsWith('_sum') ? `${real} NOT NULL` : `${int} NOT NULL`}`)
    .join(', ');
  const tables = `
    -- Sums per queue and 15-minute slot of entry time (slot = entered_ms / 900000).
    CREATE TABLE queue_slots (slot ${int} NOT NULL, queue TEXT NOT NULL, ${queueCols}, PRIMARY KEY (slot, queue))${without};
    CREATE TABLE agent_slots (slot ${int} NOT NULL, peer TEXT NOT NULL, ${agentCols}, PRIMARY KEY (slot, peer))${without};
    -- Slots whose sums a change of the summaries has made stale; gen counts the changes.
    CREATE TABLE queue_slots_dirty (queue TEXT NOT NULL, slot ${int} NOT NULL, gen ${int} NOT NULL DEFAULT 1, PRIMARY KEY (queue, slot))${without};
    CREATE TABLE agent_slots_dirty (peer TEXT NOT NULL, slot ${int} NOT NULL, gen ${int} NOT NULL DEFAULT 1, PRIMARY KEY (peer, slot))${without};`;
  const mark = (table: string, key: string, row: 'NEW' | 'OLD'): string =>
    `INSERT INTO ${table} (${key}, slot) VALUES (${row}.${key}, ${slotExpression(`${row}.entered_ms`, dialect)})
       ON CONFLICT (${key}, slot) DO UPDATE SET gen = ${table}.gen + 1;`;
  if (dialect === 'sqlite') {
    const triggers = (name: string, source: string, table: string, key: string, when: (row: 'NEW' | 'OLD') => string): string => `
    CREATE TRIGGER ${name}_insert AFTER INSERT ON ${source}${when('NEW')} BEGIN
      ${mark(table, key, 'NEW')}
    END;
    CREATE TRIGGER ${name}_update AFTER UPDATE ON ${source}${when('NEW')} BEGIN
      ${mark(table, key, 'OLD')}
      ${mark(table, key, 'NEW')}
    END;
    CREATE TRIGGER ${name}_delete AFTER DELETE ON ${source}${when('OLD')} BEGIN
      ${mark(table, key, 'OLD')}
    END;`;
    return (
      tables +
      triggers('calls_rollup', 'calls', 'queue_slots_dirty', 'queue', (row) => ` WHEN ${row}.queue <> ''`) +
      triggers('call_agents_rollup', 'call_agents', 'agent_slots_dirty', 'peer', () => '') +
      backfillSql(dialect)
    );
  }
  const fn = (name: string, source: string, table: string, key: string, when: (row: 'NEW' | 'OLD') => string): string => `
    CREATE FUNCTION ${name}_mark() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        IF ${when('OLD')} THEN ${mark(table, key, 'OLD')} END IF;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        IF ${when('NEW')} THEN
          IF TG_OP = 'INSERT' THEN ${mark(table, key, 'NEW')}
          ELSIF ${slotExpression('NEW.entered_ms', dialect)} <> ${slotExpression('OLD.entered_ms', dialect)} THEN ${mark(table, key, 'NEW')}
          END IF;
        END IF;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER ${name} AFTER INSERT OR UPDATE OR DELETE ON ${source} FOR EACH ROW EXECUTE FUNCTION ${name}_mark();`;
  return (
    tables +
    fn('calls_rollup', 'calls', 'queue_slots_dirty', 'queue', (row) => `${row}.queue <> ''`) +
    fn('call_agents_rollup', 'call_agents', 'agent_slots_dirty', 'peer', () => 'true') +
    backfillSql(dialect)
  );
}
