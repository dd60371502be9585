import type { CallRange, SlotQuery } from './types.js';

/** How a dialect writes the n-th parameter (1-based) of a given type. */
export type Placeholder = (n: number, type: 'int' | 'float') => string;

export interface Statement {
  sql: string;
  params: number[];
}

/**
 * Parameters are numbered in the order they appear in the text: SQLite's `?` are
 * positional, so the builder adds each where it writes it.
 */
export function builder(p: Placeholder): { add: (value: number, type: 'int' | 'float') => string; params: number[] } {
  const params: number[] = [];
  return {
    params,
    add(value, type) {
      params.push(value);
      return p(params.length, type);
    },
  };
}

// Integer division of integer milliseconds: the same slot numbers in both databases.
const slotOf = (q: SlotQuery, add: (value: number, type: 'int') => string): string =>
  q.slotMs > 0 ? `entered_ms / ${add(Math.floor(q.slotMs), 'int')}` : '0';
const rangeOf = (q: CallRange, add: (value: number, type: 'int') => string): string =>
  `entered_ms >= ${add(Math.floor(q.fromMs), 'int')} AND entered_ms < ${add(Math.ceil(q.toMs), 'int')}`;

/** Sums per queue and slot of the queue calls entered in the range (the definitions of docs/PROTOCOL.md, Reports). */
export function queueSlotsSql(q: SlotQuery, p: Placeholder): Statement {
  const { add, params } = builder(p);
  const slot = slotOf(q, add);
  const sla = add(q.sla, 'float');
  const range = rangeOf(q, add);
  return {
    sql: `SELECT queue, ${slot} AS slot,
        sum(answered) AS answered,
        sum(abandoned * (1 - answered)) AS abandoned,
        sum(CASE WHEN answered = 1 AND holdtime <= ${sla} THEN 1 ELSE 0 END) AS within_sla,
        sum(CASE WHEN answered = 1 THEN coalesce(holdtime, 0) ELSE 0 END) AS hold_sum,
        sum(answered * hungup) AS handled,
        sum(CASE WHEN answered = 1 AND hungup = 1 THEN coalesce(talktime, 0) ELSE 0 END) AS talk_sum,
        max(CASE WHEN answered = 1 OR abandoned = 1 THEN holdtime END) AS max_wait
      FROM calls WHERE outbound = 0 AND ${range}
      GROUP BY queue, slot`,
    params,
  };
}

/** Sums per peer and slot of the peers' parts in the calls entered in the range. */
export function agentSlotsSql(q: SlotQuery, p: Placeholder): Statement {
  const { add, params } = builder(p);
  const slot = slotOf(q, add);
  const range = rangeOf(q, add);
  return {
    sql: `SELECT peer, max(agentname) AS agentname, ${slot} AS slot,
        sum(rings) AS rings,
        sum(answered) AS answered,
        sum(ring_no_answer) AS ring_no_answer,
        sum(answered * hungup) AS handled,
        sum(CASE WHEN answered = 1 AND hungup = 1 THEN coalesce(talktime, 0) ELSE 0 END) AS talk_sum,
        sum(outbound) AS outbound
      FROM call_agents WHERE ${range}
      GROUP BY peer, slot`,
    params,
  };
}

export function pauseSpansSql(r: CallRange, p: Placeholder): Statement {
  return {
    sql: `SELECT peer, queue, agentname, start_ms, end_ms FROM agent_pauses
      WHERE start_ms < ${p(1, 'int')} AND (end_ms IS NULL OR end_ms > ${p(2, 'int')})
      ORDER BY start_ms, id`,
    params: [Math.ceil(r.toMs), Math.floor(r.fromMs)],
  };
}

/** Rows as both drivers return them: counts may come back as strings (PostgreSQL's bigint sums). */
export interface QueueSlotRow {
  queue: string;
  slot: number | string;
  answered: number | string | null;
  abandoned: number | string | null;
  within_sla: number | string | null;
  hold_sum: number | string | null;
  handled: number | string | null;
  talk_sum: number | string | null;
  max_wait: number | string | null;
}

export interface AgentSlotRow {
  peer: string;
  agentname: string | null;
  slot: number | string;
  rings: number | string | null;
  answered: number | string | null;
  ring_no_answer: number | string | null;
  handled: number | string | null;
  talk_sum: number | string | null;
  outbound: number | string | null;
}

export interface PauseRow {
  peer: string;
  queue: string;
  agentname: string | null;
  start_ms: number | string;
  end_ms: number | string | null;
}

const num = (v: number | string | null): number => (v === null ? 0 : Number(v));

export const toQueueSlot = (r: QueueSlotRow) => ({
  queue: r.queue,
  slot: num(r.slot),
  answered: num(r.answered),
  abandoned: num(r.abandoned),
  answeredWithinSla: num(r.within_sla),
  holdSum: num(r.hold_sum),
  handled: num(r.handled),
  talkSum: num(r.talk_sum),
  maxWait: r.max_wait === null ? null : Number(r.max_wait),
});

export const toAgentSlot = (r: AgentSlotRow) => ({
  peer: r.peer,
  agentname: r.agentname,
  slot: num(r.slot),
  rings: num(r.rings),
  answered: num(r.answered),
  ringNoAnswer: num(r.ring_no_answer),
  handled: num(r.handled),
  talkSum: num(r.talk_sum),
  outbound: num(r.outbound),
});

export const toPauseSpan = (r: PauseRow) => ({
  peer: r.peer,
  queue: r.queue,
  agentname: r.agentname,
  startMs: Number(r.start_ms),
  endMs: r.end_ms === null ? null : Number(r.end_ms),
});

/** A stored summary row, with its peers' rows, as CallSummary. */
export interface CallRow {
  uniqueid: string;
  queue: string;
  outbound: number;
  entered_ms: number | string;
  answered_ms: number | string | null;
  ended_ms: number | string | null;
  peer: string | null;
  agentname: string | null;
  answered: number;
  abandoned: number;
  holdtime: number | null;
  talktime: number | null;
  reason: string | null;
}

export interface CallAgentRow {
  uniqueid: string;
  queue: string;
  peer: string;
  rings: number;
  ring_no_answer: number;
}

const iso = (v: number | string | null): string | null => (v === null ? null : new Date(Number(v)).toISOString());

export function toCallSummaries(rows: readonly CallRow[], agentRows: readonly CallAgentRow[]) {
  const byCall = new Map<string, { peer: string; rings: number; ringNoAnswer: number }[]>();
  for (const a of agentRows) {
    const key = `${a.uniqueid}\u0000${a.queue}`;
    const list = byCall.get(key) ?? [];
    list.push({ peer: a.peer, rings: Number(a.rings), ringNoAnswer: Number(a.ring_no_answer) });
    byCall.set(key, list);
  }
  return rows.map((r) => ({
    uniqueid: r.uniqueid,
    queue: r.queue,
    outbound: Number(r.outbound) === 1,
    enteredAt: iso(r.entered_ms) ?? '',
    answeredAt: iso(r.answered_ms),
    endedAt: iso(r.ended_ms),
    peer: r.peer,
    agentname: r.agentname,
    outcome: Number(r.answered) === 1 ? ('answered' as const) : Number(r.abandoned) === 1 ? ('abandoned' as const) : ('open' as const),
    holdtime: r.holdtime === null ? null : Number(r.holdtime),
    talktime: r.talktime === null ? null : Number(r.talktime),
    reason: r.reason,
    agents: (byCall.get(`${r.uniqueid}\u0000${r.queue}`) ?? []).sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0)),
  }));
}
