/** One queue visit of a call (or one outbound call), as the reports read it. */
export interface CallSummary {
  uniqueid: string;
  /** `''` for an outbound call. */
  queue: string;
  outbound: boolean;
  /** When the call entered the queue (outbound: when it was placed), ISO. */
  enteredAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** The peer that answered (outbound: that placed the call). */
  peer: string | null;
  agentname: string | null;
  /** `open` until an `up` or an `abandon` is stored. */
  outcome: 'answered' | 'abandoned' | 'open';
  /** Seconds. */
  holdtime: number | null;
  talktime: number | null;
  /** The hangup's reason (`agent`, `caller`, `transfer`, …). */
  reason: string | null;
  /** Per peer rung for this call: rings, ring-no-answers (timeout, busy, unavailable). */
  agents: { peer: string; rings: number; ringNoAnswer: number }[];
}

/** A time range of summaries, by entry time: `from` inclusive, `to` exclusive, in ms since the epoch. */
export interface CallRange {
  fromMs: number;
  toMs: number;
}

export interface SlotQuery extends CallRange {
  /** Groups by `floor(enteredMs / slotMs)`; 0 groups the whole range as slot 0. */
  slotMs: number;
  /** Seconds: answered calls with holdtime ≤ sla count as within the service level. */
  sla: number;
}

/** Sums of one queue over one slot; the figures of a report are made from these. */
export interface QueueSlot {
  queue: string;
  slot: number;
  answered: number;
  abandoned: number;
  answeredWithinSla: number;
  /** Sum of the holdtime of answered calls. */
  holdSum: number;
  /** Answered calls that have hung up, and the sum of their talk time. */
  handled: number;
  talkSum: number;
  /** Largest holdtime of answered or abandoned calls; null when none. */
  maxWait: number | null;
}

export interface AgentSlot {
  peer: string;
  agentname: string | null;
  slot: number;
  rings: number;
  answered: number;
  ringNoAnswer: number;
  handled: number;
  talkSum: number;
  outbound: number;
}

/** A span during which a peer was paused in a queue; `endMs` null while it still is. */
export interface PauseSpan {
  peer: string;
  queue: string;
  agentname: string | null;
  startMs: number;
  endMs: number | null;
}

/** What the store keeps of the call summaries (functions, not methods: the stores hand on their parts' own). */
export interface CallSummaryStore {
  /** Summaries entered in the range, oldest first, at most `limit`. */
  listCalls: (range: CallRange & { limit: number }) => Promise<CallSummary[]>;
  queueSlots: (query: SlotQuery) => Promise<QueueSlot[]>;
  agentSlots: (query: SlotQuery) => Promise<AgentSlot[]>;
  /** Pause spans overlapping the range. */
  pauseSpans: (range: CallRange) => Promise<PauseSpan[]>;
  /** Deletes summaries entered before `before` (and pauses ended before it); returns how many calls. */
  pruneCallsBefore: (before: string) => Promise<number>;
}
