import {
  applyAgentState,
  applyCallEvent,
  boundedFloor,
  type FloorFilter,
  createFloor,
  dayOf,
  expireCalls,
  expireFloor,
  ownAgentState,
  rollDay,
  setAgentSessions,
  type AgentPresence,
  type AgentWelcomeState,
  type BoundedFloor,
  type DayStats,
  type FloorExpiry,
  type FloorLimits,
  type FloorRemovals,
  type LiveAgent,
  type LiveCall,
  type StreamEvent,
} from '@shuttle-cti/protocol';

/**
 * Live state of the floor, derived from call events and agent sessions: the calls in
 * progress, each agent's state, and today's counters (UTC day). Feeds the supervisor
 * snapshot. The rules are the protocol's floor module, shared with the dashboard; this
 * adds the hub's clock.
 */
export interface CallTracker {
  apply(event: StreamEvent): AgentPresence[];
  setSessions(peer: string, sessions: number, name?: string): AgentPresence;
  calls(): LiveCall[];
  agents(): LiveAgent[];
  /** An agent's own pause state and queues, for its `welcome` (undefined when the hub knows none). */
  ownState(peer: string): AgentWelcomeState | undefined;
  /** One agent by peer (a map look-up, not a scan of the floor). */
  agent(peer: string): LiveAgent | undefined;
  stats(): DayStats;
  /** Calls and agents for a snapshot, within `maxBytes` of JSON; with `filter`, only those it passes. */
  snapshot(maxBytes: number, filter?: FloorFilter): BoundedFloor;
  /** Forgets calls with no event since `before` (a lost hangup); returns how many. */
  prune(before: string): number;
  /** Runs the expiry schedule now; the released agents' presences are in `changed`. */
  expire(): FloorExpiry;
  size(): { calls: number; agents: number };
  removals(): Readonly<FloorRemovals>;
}

export function createCallTracker(now: () => Date = () => new Date(), limits: Partial<FloorLimits> = {}): CallTracker {
  const floor = createFloor(limits, dayOf(now().toISOString()));
  return {
    apply(event) {
      // agentstate (protocol 1.2) shares the event stream; it changes presence, not calls.
      if (event.event === 'agentstate') return applyAgentState(floor, event);
      return applyCallEvent(floor, event).agents;
    },
    setSessions: (peer, sessions, name) => setAgentSessions(floor, peer, sessions, now().toISOString(), name),
    prune(before) {
      const ms = Date.parse(before);
      return expireCalls(floor, ms, ms, now().toISOString(), []);
    },
    expire: () => expireFloor(floor, now().getTime()),
    snapshot: (maxBytes, filter) => boundedFloor(floor, maxBytes, now().toISOString(), filter),
    calls: () => [...floor.calls.values()],
    agents: () => [...floor.agents.values()],
    ownState: (peer) => ownAgentState(floor, peer),
    agent: (peer) => floor.agents.get(peer),
    stats: () => {
      rollDay(floor, now().toISOString());
      return { ...floor.stats };
    },
    size: () => ({ calls: floor.calls.size, agents: floor.agents.size }),
    removals: () => ({ ...floor.removals }),
  };
}
