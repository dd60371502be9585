import { z } from 'zod';
import { agentQueueState, callControlWelcome } from './call-control.js';
import { realtimeRow } from './commands.js';
import { scopeSchema } from './scope.js';

const variables = z.record(z.string(), z.string());

/** A call in progress, as supervisors see it. */
export const liveCall = z.object({
  uniqueid: z.string(),
  queue: z.string(),
  direction: z.string(),
  callernum: z.string(),
  callername: z.string().exactOptional(),
  state: z.enum(['waiting', 'talking']),
  /** Peers being rung right now. */
  ringing: z.array(z.string()),
  peer: z.string().exactOptional(),
  agentname: z.string().exactOptional(),
  /** ISO time the call entered the queue (first event seen). */
  since: z.string(),
  /** ISO time it was answered. */
  answeredAt: z.string().exactOptional(),
  /** `holdtime` and `ringtime` of its `up` (what a PBX source needs after a restart). */
  holdtime: z.string().exactOptional(),
  ringtime: z.string().exactOptional(),
  variables,
});
export type LiveCall = z.infer<typeof liveCall>;

export const agentStates = ['offline', 'idle', 'ringing', 'on-call'] as const;
export type AgentState = (typeof agentStates)[number];

/** An agent (peer), as supervisors see it. */
export const liveAgent = agentQueueState.extend({
  peer: z.string(),
  name: z.string().exactOptional(),
  state: z.enum(agentStates),
  /** Connected agent-panel sessions. */
  sessions: z.number().int(),
  /** The call it is on or being rung for. */
  uniqueid: z.string().exactOptional(),
  since: z.string(),
});
export type LiveAgent = z.infer<typeof liveAgent>;

/** Today's counters (the day of `day`, see docs/PROTOCOL.md). */
export const dayStats = z.object({
  day: z.string(),
  calls: z.number().int(),
  answered: z.number().int(),
  abandoned: z.number().int(),
  outbound: z.number().int(),
  /** Mean hold time in seconds of answered calls. */
  avgHoldSeconds: z.number(),
});
export type DayStats = z.infer<typeof dayStats>;

/** `snapshot`: the floor when a dashboard connects. */
export const snapshot = z.object({
  calls: z.array(liveCall),
  agents: z.array(liveAgent),
  realtime: z.array(realtimeRow),
  stats: dayStats,
  lastSeq: z.number().int(),
});
export type Snapshot = z.infer<typeof snapshot>;

/** `agent`: an agent's presence changed. */
export const agentPresence = agentQueueState.extend({
  peer: z.string(),
  state: z.enum(agentStates),
  sessions: z.number().int(),
  name: z.string().exactOptional(),
  uniqueid: z.string().exactOptional(),
});
export type AgentPresence = z.infer<typeof agentPresence>;

/** First message on every connection: who the hub thinks you are. */
export const welcome = callControlWelcome.extend({
  protocol: z.literal(1),
  role: z.enum(['integration', 'agent', 'supervisor']),
  name: z.string(),
  peer: z.string().exactOptional(),
  /** The newest `seq` when the connection was accepted. */
  lastSeq: z.number().int(),
  /** Protocol 1.2: the queues and peers a scoped token is limited to; absent when unscoped. */
  scope: scopeSchema.optional(),
});
export type Welcome = z.infer<typeof welcome>;

/** `replay_truncated`: events between `from` and `to` are no longer stored. */
export const replayTruncated = z.object({
  /** The `seq` the client asked to resume after, plus one. */
  from: z.number().int(),
  /** The first `seq` still stored, minus one: events from..to are lost. */
  to: z.number().int(),
});
export type ReplayTruncated = z.infer<typeof replayTruncated>;
