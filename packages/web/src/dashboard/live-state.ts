import {
  applyAgentPresence,
  applyCallEvent,
  createFloor,
  floorFromSnapshot,
  forgetAgent,
  presenceLeavesScope,
  type AgentPresence,
  type CallEvent,
  type FloorState,
  type LiveCall,
  type Scope,
  type Snapshot,
} from '@shuttle-cti/protocol';

/**
 * The floor as the dashboard shows it: the hub's snapshot, then kept current from the
 * live events by the protocol's floor module, the same rules as the hub's own tracker.
 * Mutated in place: it is updated once per frame with a whole batch of events.
 */
export type LiveState = FloorState;

/** What an event changed, for the per-minute chart. */
export interface EventEffect {
  newCall: boolean;
  answered: boolean;
  abandoned: boolean;
  outbound: boolean;
}

export function fromSnapshot(snapshot: Snapshot): LiveState {
  return floorFromSnapshot(snapshot);
}

export function emptyState(): LiveState {
  return createFloor();
}

export function applyEvent(state: LiveState, event: CallEvent): EventEffect {
  const { newCall, answered, abandoned, outbound } = applyCallEvent(state, event);
  return { newCall, answered, abandoned, outbound };
}

/**
 * An agent's presence changed; `now` is the hub time it is seen at. With the scope of a
 * scoped token, the last presence of an agent that left the scope drops the agent.
 */
export function applyPresence(state: LiveState, presence: AgentPresence, now: string, scope?: Scope): void {
  if (scope !== undefined && presenceLeavesScope(scope, presence)) forgetAgent(state, presence.peer);
  else applyAgentPresence(state, presence, now);
}

export interface QueueSummary {
  queue: string;
  waiting: number;
  talking: number;
  /** Hub ISO time the longest-waiting call entered the queue. */
  oldestWaiting?: string;
}

export function queueSummaries(calls: Iterable<LiveCall>): QueueSummary[] {
  const byQueue = new Map<string, QueueSummary>();
  for (const call of calls) {
    let summary = byQueue.get(call.queue);
    if (summary === undefined) byQueue.set(call.queue, (summary = { queue: call.queue, waiting: 0, talking: 0 }));
    if (call.state === 'waiting') {
      summary.waiting += 1;
      if (summary.oldestWaiting === undefined || call.since < summary.oldestWaiting) summary.oldestWaiting = call.since;
    } else {
      summary.talking += 1;
    }
  }
  return [...byQueue.values()].sort((a, b) => b.waiting - a.waiting || b.talking - a.talking || a.queue.localeCompare(b.queue));
}
