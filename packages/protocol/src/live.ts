import type { Scope } from './scope.js';
import type { AgentQueueState, CallControlWelcome } from './call-control.js';
import type { RealtimeRow } from './commands.js';
import type { Variables } from './events.js';

/** A call in progress, as supervisors see it. */
export interface LiveCall {
  uniqueid: string;
  queue: string;
  direction: string;
  callernum: string;
  callername?: string;
  state: 'waiting' | 'talking';
  /** Peers being rung right now. */
  ringing: string[];
  peer?: string;
  agentname?: string;
  /** ISO time the call entered the queue (first event seen). */
  since: string;
  /** ISO time it was answered. */
  answeredAt?: string;
  /** `holdtime` and `ringtime` of its `up` (what a PBX source needs after a restart). */
  holdtime?: string;
  ringtime?: string;
  variables: Variables;
}

export type AgentState = 'offline' | 'idle' | 'ringing' | 'on-call';

/** An agent (peer), as supervisors see it. */
export interface LiveAgent extends AgentQueueState {
  peer: string;
  name?: string;
  state: AgentState;
  /** Connected agent-panel sessions. */
  sessions: number;
  /** The call it is on or being rung for. */
  uniqueid?: string;
  since: string;
}

/** Today's counters (hub's local midnight). */
export interface DayStats {
  day: string;
  calls: number;
  answered: number;
  abandoned: number;
  outbound: number;
  /** Mean hold time in seconds of answered calls. */
  avgHoldSeconds: number;
}

export interface Snapshot {
  calls: LiveCall[];
  agents: LiveAgent[];
  realtime: RealtimeRow[];
  stats: DayStats;
  lastSeq: number;
}

export interface AgentPresence extends AgentQueueState {
  peer: string;
  state: AgentState;
  sessions: number;
  name?: string;
  uniqueid?: string;
}

/** First message on every connection: who the hub thinks you are. */
export interface Welcome extends CallControlWelcome {
  protocol: 1;
  role: 'integration' | 'agent' | 'supervisor';
  name: string;
  peer?: string;
  /** The newest `seq` when the connection was accepted. */
  lastSeq: number;
  /** Protocol 1.2: the queues and peers a scoped token is limited to; absent when unscoped. */
  scope?: Scope;
}

export interface ReplayTruncated {
  /** The `seq` the client asked to resume after, plus one. */
  from: number;
  /** The first `seq` still stored, minus one: events from..to are lost. */
  to: number;
}
