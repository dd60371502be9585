/**
 * What each stored event changes in the call summaries. Every change to a call or to a
 * peer's part in it is a merge that does not depend on order (earliest entry, largest
 * holdtime, flags that only turn on, counts that add up), so a batch is folded in memory
 * into one change per row and written with one upsert, whatever order its events came in.
 * Pauses are the exception: they open and close, so they are kept in event order.
 */

export interface CallDelta {
  uniqueid: string;
  queue: string;
  outbound: number;
  enteredMs: number;
  /** 1 when enteredMs comes from an `up` or `abandon` (its time less the holdtime): it then wins over estimates. */
  enteredExact: number;
  answeredMs: number | null;
  endedMs: number | null;
  peer: string | null;
  agentname: string | null;
  answered: number;
  abandoned: number;
  hungup: number;
  holdtime: number | null;
  talktime: number | null;
  reason: string | null;
}

export interface AgentDelta {
  uniqueid: string;
  queue: string;
  peer: string;
  agentname: string | null;
  enteredMs: number;
  rings: number;
  ringNoAnswer: number;
  answered: number;
  hungup: number;
  talktime: number | null;
  outbound: number;
}

export interface PauseChange {
  peer: string;
  queue: string;
  agentname: string | null;
  paused: boolean;
  atMs: number;
}

export interface SummaryChanges {
  calls: CallDelta[];
  agents: AgentDelta[];
  pauses: PauseChange[];
}

/** The ringend reasons that count as the peer not answering. */
const noAnswerReasons = new Set(['timeout', 'busy', 'unavailable']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const secs = (v: unknown): number | null => {
  const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
};
const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

function mergeCall(a: CallDelta, b: CallDelta): CallDelta {
  return {
    ...a,
    outbound: Math.max(a.outbound, b.outbound),
    enteredMs:
      a.enteredExact === b.enteredExact ? Math.min(a.enteredMs, b.enteredMs) : a.enteredExact > b.enteredExact ? a.enteredMs : b.enteredMs,
    enteredExact: Math.max(a.enteredExact, b.enteredExact),
    answeredMs: minOf(a.answeredMs, b.answeredMs),
    endedMs: maxOf(a.endedMs, b.endedMs),
    peer: b.peer ?? a.peer,
    agentname: b.agentname ?? a.agentname,
    answered: Math.max(a.answered, b.answered),
    abandoned: Math.max(a.abandoned, b.abandoned),
    hungup: Math.max(a.hungup, b.hungup),
    holdtime: maxOf(a.holdtime, b.holdtime),
    talktime: maxOf(a.talktime, b.talktime),
    reason: b.reason ?? a.reason,
  };
}

function mergeAgent(a: AgentDelta, b: AgentDelta): AgentDelta {
  return {
    ...a,
    agentname: b.agentname ?? a.agentname,
    enteredMs: Math.min(a.enteredMs, b.enteredMs),
    rings: a.rings + b.rings,
    ringNoAnswer: a.ringNoAnswer + b.ringNoAnswer,
    answered: Math.max(a.answered, b.answered),
    hungup: Math.max(a.hungup, b.hungup),
    talktime: maxOf(a.talktime, b.talktime),
    outbound: Math.max(a.outbound, b.outbound),
  };
}

const emptyCall = (uniqueid: string, queue: string, enteredMs: number): CallDelta => ({
  uniqueid,
  queue,
  outbound: 0,
  enteredMs,
  enteredExact: 0,
  answeredMs: null,
  endedMs: null,
  peer: null,
  agentname: null,
  answered: 0,
  abandoned: 0,
  hungup: 0,
  holdtime: null,
  talktime: null,
  reason: null,
});

const emptyAgent = (uniqueid: string, queue: string, peer: string, enteredMs: number): AgentDelta => ({
  uniqueid,
  queue,
  peer,
  agentname: null,
  enteredMs,
  rings: 0,
  ringNoAnswer: 0,
  answered: 0,
  hungup: 0,
  talktime: null,
  outbound: 0,
});

/**
 * The changes a batch of stored events makes. Events are loose documents (a newer source
 * may add fields, and `agentstate` is handled by name), so fields are read defensively; an
 * event without what a summary needs changes nothing.
 *
 * The entry time: `up` and `abandon` give it (their time less the holdtime); until one of
 * them is stored, the earliest estimate stands: a `hangup`'s time less talk and hold
 * time, a `ringing`'s or `ringend`'s own time.
 */
export function summaryChanges(events: readonly Record<string, unknown>[]): SummaryChanges {
  const calls = new Map<string, CallDelta>();
  const agents = new Map<string, AgentDelta>();
  const pauses: PauseChange[] = [];
  const addCall = (d: CallDelta): void => {
    const key = `${d.uniqueid}\u0000${d.queue}`;
    const old = calls.get(key);
    calls.set(key, old ? mergeCall(old, d) : d);
  };
  const addAgent = (d: AgentDelta): void => {
    const key = `${d.uniqueid}\u0000${d.queue}\u0000${d.peer}`;
    const old = agents.get(key);
    agents.set(key, old ? mergeAgent(old, d) : d);
  };

  for (const e of events) {
    const t = typeof e['time'] === 'string' ? Date.parse(e['time']) : Number.NaN;
    if (Number.isNaN(t)) continue;
    const name = e['event'];
    const peer = str(e['peer']);
    const agentname = str(e['agentname']);
    if (name === 'agentstate') {
      const queue = str(e['queue']);
      if (peer === null || queue === null) continue;
      pauses.push({ peer, queue, agentname, paused: e['paused'] === true && e['member'] !== false, atMs: t });
      continue;
    }
    const uniqueid = str(e['uniqueid']);
    if (uniqueid === null) continue;
    const hold = secs(e['holdtime']);
    const talk = secs(e['talktime']);

    if (name === 'outbound') {
      if (peer === null) continue;
      addCall({ ...emptyCall(uniqueid, '', t), outbound: 1, peer, agentname });
      addAgent({ ...emptyAgent(uniqueid, '', peer, t), agentname, outbound: 1 });
      continue;
    }
    const queue = str(e['queue']);
    if (queue === null) continue;
    switch (name) {
      case 'ringing':
      case 'ringend': {
        addCall(emptyCall(uniqueid, queue, t));
        if (peer === null) break;
        const rna = name === 'ringend' && noAnswerReasons.has(String(e['reason'])) ? 1 : 0;
        addAgent({ ...emptyAgent(uniqueid, queue, peer, t), agentname, rings: name === 'ringing' ? 1 : 0, ringNoAnswer: rna });
        break;
      }
      case 'up': {
        const entered = t - (hold ?? 0) * 1000;
        addCall({ ...emptyCall(uniqueid, queue, entered), enteredExact: 1, answeredMs: t, peer, agentname, answered: 1, holdtime: hold });
        if (peer !== null) addAgent({ ...emptyAgent(uniqueid, queue, peer, entered), agentname, answered: 1 });
        break;
      }
      case 'hangup': {
        const entered = t - ((hold ?? 0) + (talk ?? 0)) * 1000;
        addCall({
          ...emptyCall(uniqueid, queue, entered),
          endedMs: t,
          peer,
          agentname,
          answered: 1,
          hungup: 1,
          holdtime: hold,
          talktime: talk,
          reason: str(e['reason']),
        });
        if (peer !== null) addAgent({ ...emptyAgent(uniqueid, queue, peer, entered), agentname, answered: 1, hungup: 1, talktime: talk });
        break;
      }
      case 'abandon':
        addCall({ ...emptyCall(uniqueid, queue, t - (hold ?? 0) * 1000), enteredExact: 1, endedMs: t, abandoned: 1, holdtime: hold });
        break;
      default:
        break;
    }
  }
  return { calls: [...calls.values()], agents: [...agents.values()], pauses };
}
