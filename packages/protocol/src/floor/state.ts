import type { DayStats, LiveAgent, LiveCall, Snapshot } from '../live.js';

/**
 * How much the live view of the floor may hold and for how long. The hub reads these
 * from its configuration (`live.*`, `retention.staleCallMs`); the dashboard uses the
 * defaults. Times are hub times: the `time` of the events, in milliseconds.
 */
export interface FloorLimits {
  /** Most calls in progress kept; past it the waiting call updated longest ago goes (then the talking one). */
  maxCalls: number;
  /** Most agents kept; past it the agent offline longest goes (then the one changed longest ago without a panel). */
  maxAgents: number;
  /** Most peers shown as being rung for one call; past it the first rung is dropped. */
  maxRingingPerCall: number;
  /** A waiting call with no event for this long lost its end event and is dropped. */
  waitingCallMs: number;
  /** A talking call with no event for this long lost its hangup and is dropped. */
  talkingCallMs: number;
  /** An agent offline (no panel, no call) with no change for this long is forgotten. */
  offlineAgentMs: number;
}

export const floorDefaults: Readonly<FloorLimits> = Object.freeze({
  maxCalls: 20_000,
  maxAgents: 20_000,
  maxRingingPerCall: 1_000,
  waitingCallMs: 2 * 3600_000,
  talkingCallMs: 12 * 3600_000,
  offlineAgentMs: 3600_000,
});

/** What the bounds removed since the state was created (the hub exports them as metrics). */
export interface FloorRemovals {
  /** Calls dropped because `maxCalls` was reached. */
  evictedCalls: number;
  /** Agents dropped because `maxAgents` was reached. */
  evictedAgents: number;
  /** Calls dropped for having had no event for their state's time limit. */
  expiredCalls: number;
  /** Offline agents forgotten after `offlineAgentMs`. */
  forgottenAgents: number;
}

/** One queue an agent is a member of, as its latest `agentstate` for that queue says. */
export interface QueueMembership {
  paused: boolean;
  reason?: string | undefined;
}

/**
 * The floor: calls in progress, agents, today's counters. Plain data changed in place
 * by the functions of this module; `calls` and `agents` keep their first-seen order.
 * The other maps are indexes that keep every bound cheap (no scan of all calls).
 */
export interface FloorState {
  readonly limits: FloorLimits;
  calls: Map<string, LiveCall>;
  agents: Map<string, LiveAgent>;
  stats: DayStats;
  /** Sum of the hold times behind `stats.avgHoldSeconds`. */
  holdTotal: number;
  removals: FloorRemovals;
  /** Waiting calls by uniqueid → time of their last event (ms), least recently updated first. */
  waiting: Map<string, number>;
  /** Talking calls, the same way. */
  talking: Map<string, number>;
  /** Peer → the talking calls it answered, in answer order. */
  answeredBy: Map<string, Set<string>>;
  /** Offline agents by peer → time of their last change (ms), longest unchanged first. */
  offline: Map<string, number>;
  /** Every agent, least recently changed first. */
  recency: Map<string, true>;
  /** Peer → the queues it is a member of (from `agentstate`), the peer named longest ago first. */
  memberships: Map<string, Map<string, QueueMembership>>;
}

export function emptyStats(day: string): DayStats {
  return { day, calls: 0, answered: 0, abandoned: 0, outbound: 0, avgHoldSeconds: 0 };
}

/** An empty floor; `day` '' takes the day of the first event. */
export function createFloor(limits: Partial<FloorLimits> = {}, day = ''): FloorState {
  return {
    limits: { ...floorDefaults, ...limits },
    calls: new Map(),
    agents: new Map(),
    stats: emptyStats(day),
    holdTotal: 0,
    removals: { evictedCalls: 0, evictedAgents: 0, expiredCalls: 0, forgottenAgents: 0 },
    waiting: new Map(),
    talking: new Map(),
    answeredBy: new Map(),
    offline: new Map(),
    recency: new Map(),
    memberships: new Map(),
  };
}

/** Milliseconds of an ISO time; 0 when unreadable (so it is the first to expire). */
export function msOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * The floor as a hub's snapshot describes it. The hold-time total is rebuilt from the
 * rounded mean, so a later mean may differ from the hub's by a few hundredths of a second.
 */
export function floorFromSnapshot(snapshot: Pick<Snapshot, 'calls' | 'agents' | 'stats'>, limits: Partial<FloorLimits> = {}): FloorState {
  const state = createFloor(limits, snapshot.stats.day);
  state.stats = { ...snapshot.stats };
  state.holdTotal = snapshot.stats.avgHoldSeconds * snapshot.stats.answered;
  // The indexes are kept least recently updated first, so the expiry stops at the first fresh entry.
  const waiting: [string, number][] = [];
  const talking: [string, number][] = [];
  for (const call of snapshot.calls) {
    const copy: LiveCall = { ...call, ringing: [...call.ringing] };
    state.calls.set(call.uniqueid, copy);
    const updated = msOf(call.answeredAt ?? call.since);
    if (copy.state === 'talking') {
      talking.push([call.uniqueid, updated]);
      if (copy.peer !== undefined) answeredSet(state, copy.peer).add(call.uniqueid);
    } else {
      waiting.push([call.uniqueid, updated]);
    }
  }
  const oldestFirst = (a: [string, number], b: [string, number]): number => a[1] - b[1];
  state.waiting = new Map(waiting.sort(oldestFirst));
  state.talking = new Map(talking.sort(oldestFirst));
  const agents = [...snapshot.agents].sort((a, b) => msOf(a.since) - msOf(b.since));
  for (const agent of snapshot.agents) state.agents.set(agent.peer, { ...agent });
  for (const agent of agents) {
    state.recency.set(agent.peer, true);
    if (agent.state === 'offline') state.offline.set(agent.peer, msOf(agent.since));
  }
  return state;
}

export function answeredSet(state: FloorState, peer: string): Set<string> {
  let set = state.answeredBy.get(peer);
  if (set === undefined) state.answeredBy.set(peer, (set = new Set()));
  return set;
}
