import type { LatencySummary } from '../stats.js';

/**
 * What the orchestrator and its worker processes say to each other over the fork IPC
 * channel. Each worker gets one `setup`, answers `ready`, then answers every `report`
 * (and the source every `run`).
 */

export interface SourceSetup {
  kind: 'source';
  url: string;
  /** Bearer token of role `source` (the bare relay ignores it). */
  token: string;
  agents: number;
  seed: number;
  /** Give every event an `eventid`. */
  eventIds?: boolean;
}

export interface ListenerSetup {
  kind: 'listener';
  url: string;
  namespace: '/' | '/supervisor';
  token: string;
  /** Integrations answer each `up` with a wakeup; supervisors only count. */
  answerUps: boolean;
  index: number;
}

export interface AgentsSetup {
  kind: 'agents';
  url: string;
  /** One per agent. The hub reads only the token (bound to the peer); the bare relay only the peer. */
  agents: { token: string; peer: string }[];
  /** How many connection attempts run at once. */
  connectConcurrency: number;
  /** Also report every latency sample, so the reports of several agents processes can be merged. */
  rawLatencies?: boolean;
}

/** `--scoped-supervisors`: supervisors with scoped tokens, all in one process. */
export interface SupervisorsSetup {
  kind: 'supervisors';
  url: string;
  /** Each with its token and its scope (one queue, a few peers), to check that nothing outside arrives; queue '': unscoped. */
  supervisors: { token: string; queue: string; peers: string[] }[];
}

export type WorkerSetup = SourceSetup | ListenerSetup | AgentsSetup | SupervisorsSetup;

export interface RunStep {
  type: 'run';
  step: number;
  rate: number;
  durationMs: number;
  /** How often a batch is posted. */
  batchMs: number;
}

export interface SourceDone {
  type: 'done';
  step: number;
  /** Events posted, accepted (HTTP 202 result with a seq) and refused. */
  posted: number;
  accepted: number;
  rejected: number;
  /** Events refused for overload (503 with Retry-After; each sent again after the wait, so one event may count more than once), and such refusals. */
  refused: number;
  refusals: number;
  /** Events still in the source's queue when it gave up (never accepted, so not lost). */
  unsent: number;
  /** Requests that failed outright (connection error, 5xx). */
  failedRequests: number;
  /** Accepted events by kind: `up` ones (one pop per integration) and those with a peer (an agent gets them). */
  ups: number;
  withPeer: number;
  elapsedMs: number;
  /** Most requests in flight at once: a source that cannot keep up shows here. */
  maxInFlight: number;
  /** Time to the HTTP answer. */
  post: LatencySummary;
  /** Time an accepted event waited in the source (made → the post the hub accepted). */
  sourceWait: LatencySummary;
}

export interface ListenerReport {
  type: 'report';
  step: number;
  /** Distinct call events (by seq) received that were posted in this step, and repeats. */
  events: number;
  duplicates: number;
  /** Event stamped by the source → received here. */
  latency: LatencySummary;
  /** Wakeups sent for this step's `up` events, acknowledged ok, and refused or unanswered. */
  wakeupsSent: number;
  wakeupsOk: number;
  wakeupsFailed: number;
  disconnects: number;
}

export interface AgentsReport {
  type: 'report';
  step: number;
  /** Distinct screen pops (AgentCTI) for this step's calls, repeats, and their latency. */
  pops: number;
  duplicates: number;
  latency: LatencySummary;
  /** The samples behind `latency`, with `rawLatencies`. */
  latencies?: number[];
  /** Distinct call events of their own peer received by agents. */
  events: number;
  connected: number;
  disconnects: number;
}

export interface SupervisorsReport {
  type: 'report';
  step: number;
  /** Call events of this step received by all the scoped supervisors together, and those outside their scope (must be 0). */
  events: number;
  outside: number;
  connected: number;
  disconnects: number;
}

export type WorkerReply =
  | { type: 'ready'; connected?: number; failed?: number; ms?: number }
  | { type: 'error'; message: string }
  | SourceDone
  | ListenerReport
  | AgentsReport
  | SupervisorsReport;

export type WorkerCommand = { type: 'setup'; setup: WorkerSetup } | RunStep | { type: 'report'; step: number; final?: boolean } | { type: 'stop' };
