/**
 * The merges of deltas.ts, in SQL, for a row already stored: the same rules, so a call's
 * summary ends the same whichever events came in which batch. `greatest`/`least` are
 * PostgreSQL's names; SQLite's many-argument max/min do the same (with the NULLs taken
 * care of by the coalesce pairs, as SQLite's return NULL when any argument is).
 */
export function callsConflictSet(fn: { max: string; min: string }): string {
  const big = (col: string): string => `${fn.max}(coalesce(calls.${col}, excluded.${col}), coalesce(excluded.${col}, calls.${col}))`;
  const small = (col: string): string => `${fn.min}(coalesce(calls.${col}, excluded.${col}), coalesce(excluded.${col}, calls.${col}))`;
  return `ON CONFLICT (uniqueid, queue) DO UPDATE SET
      outbound = ${big('outbound')},
      entered_ms = CASE
        WHEN excluded.entered_exact = calls.entered_exact THEN ${small('entered_ms')}
        WHEN excluded.entered_exact > calls.entered_exact THEN excluded.entered_ms
        ELSE calls.entered_ms END,
      entered_exact = ${big('entered_exact')},
      answered_ms = ${small('answered_ms')},
      ended_ms = ${big('ended_ms')},
      peer = coalesce(excluded.peer, calls.peer),
      agentname = coalesce(excluded.agentname, calls.agentname),
      answered = ${big('answered')},
      abandoned = ${big('abandoned')},
      hungup = ${big('hungup')},
      holdtime = ${big('holdtime')},
      talktime = ${big('talktime')},
      reason = coalesce(excluded.reason, calls.reason)`;
}

/**
 * `enteredFromCall`: the rows carry their call's entry time as it stands after the batch's
 * call upserts, which replaces the stored one (it is what the sync after the upsert would
 * set); otherwise the earliest estimate is kept and the sync corrects it.
 */
export function agentsConflictSet(fn: { max: string; min: string }, enteredFromCall = false): string {
  const big = (col: string): string =>
    `${fn.max}(coalesce(call_agents.${col}, excluded.${col}), coalesce(excluded.${col}, call_agents.${col}))`;
  const entered = enteredFromCall ? 'excluded.entered_ms' : `${fn.min}(call_agents.entered_ms, excluded.entered_ms)`;
  return `ON CONFLICT (uniqueid, queue, peer) DO UPDATE SET
      agentname = coalesce(excluded.agentname, call_agents.agentname),
      entered_ms = ${entered},
      rings = call_agents.rings + excluded.rings,
      ring_no_answer = call_agents.ring_no_answer + excluded.ring_no_answer,
      answered = ${big('answered')},
      hungup = ${big('hungup')},
      talktime = ${big('talktime')},
      outbound = ${big('outbound')}`;
}

export const callColumns =
  'uniqueid, queue, outbound, entered_ms, entered_exact, answered_ms, ended_ms, peer, agentname, answered, abandoned, hungup, holdtime, talktime, reason';
export const agentColumns = 'uniqueid, queue, peer, agentname, entered_ms, rings, ring_no_answer, answered, hungup, talktime, outbound';
