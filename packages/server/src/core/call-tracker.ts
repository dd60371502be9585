import {
  applyCallEvent,
  boundedFloor,
  createFloor,
  dayOf,
  expireCalls,
  expireFloor,
  rollDay,
  setAgentSessions,
  type AgentPresence,
  type BoundedFloor,
  type CallEvent,
  type DayStats,
  type FloorExpiry,
  type FloorLimits,
  type FloorRemovals,
  type LiveAgent,
  type LiveCall,
} from '@shuttle-cti/protocol';

/**
 * Live state of the floor, derived from call events and agent sessions: the calls in
 * progress, each agent's state, and today's counters (UTC day). Feeds the supervisor
 * snapshot. The rules are the protocol's floor module, shared with the dashboard; this
 * adds the hub's clock.
 */
export interface CallTracker {
  apply(event: CallEvent): AgentPresence[];
  setSessions(peer: string, sessions: number, name?: string): AgentPresence;
  calls(): LiveCall[];
  agents(): LiveAgent[];
  stats(): DayStats;
  /** Calls and agents for a snapshot, within `maxBytes` of JSON. */
  snapshot(maxBytes: number): BoundedFloor;
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
    apply: (event) => applyCallEvent(floor, event).agents,
    setSessions: (peer, sessions, name) => setAgentSessions(floor, peer, sessions, now().toISOString(), name),
    prune(before) {
      const ms = Date.parse(before);
      return expireCalls(floor, ms, ms, now().toISOString(), []);
    },
    expire: () => expireFloor(floor, now().getTime()),
    snapshot: (maxBytes) => boundedFloor(floor, maxBytes, now().toISOString()),
    calls: () => [...floor.calls.values()],
    agents: () => [...floor.agents.values()],
    stats: () => {
      rollDay(floor, now().toISOString());
      return { ...floor.stats };
    },
    size: () => ({ calls: floor.calls.size, agents: floor.agents.size }),
    removals: () => ({ ...floor.removals }),
  };
}
