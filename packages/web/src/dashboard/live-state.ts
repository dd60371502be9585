import type { AgentPresence, CallEvent, DayStats, LiveAgent, LiveCall, Snapshot } from '@shuttle-cti/protocol';
import { secondsOf } from '../common/format.js';

/**
 * The floor as the dashboard shows it: the hub's snapshot, then kept current from the
 * live events with the same rules as the hub's own tracker (a call is counted on its
 * first ringing or answer, or on an abandon without one; outbound calls are counted,
 * not tracked, as no event ends them). Mutated in place: it is updated once per frame
 * with a whole batch of events.
 */
export interface LiveState {
  calls: Map<string, LiveCall>;
  agents: Map<string, LiveAgent>;
  stats: DayStats;
  holdTotal: number;
}

/** What an event changed, for the per-minute chart. */
export interface EventEffect {
  newCall: boolean;
  answered: boolean;
  abandoned: boolean;
  outbound: boolean;
}

export function fromSnapshot(snapshot: Snapshot): LiveState {
  return {
    calls: new Map(snapshot.calls.map((call) => [call.uniqueid, { ...call, ringing: [...call.ringing] }])),
    agents: new Map(snapshot.agents.map((agent) => [agent.peer, { ...agent }])),
    stats: { ...snapshot.stats },
    holdTotal: snapshot.stats.avgHoldSeconds * snapshot.stats.answered,
  };
}

export function emptyState(): LiveState {
  return fromSnapshot({
    calls: [],
    agents: [],
    realtime: [],
    stats: { day: '', calls: 0, answered: 0, abandoned: 0, outbound: 0, avgHoldSeconds: 0 },
    lastSeq: 0,
  });
}

export function applyEvent(state: LiveState, event: CallEvent): EventEffect {
  const effect: EventEffect = { newCall: false, answered: false, abandoned: false, outbound: false };
  const day = event.time.slice(0, 10);
  if (state.stats.day !== '' && day > state.stats.day) {
    state.stats = { day, calls: 0, answered: 0, abandoned: 0, outbound: 0, avgHoldSeconds: 0 };
    state.holdTotal = 0;
  }
  const callFor = (e: Exclude<CallEvent, { event: 'outbound' | 'abandon' }>): LiveCall => {
    let call = state.calls.get(e.uniqueid);
    if (call === undefined) {
      call = {
        uniqueid: e.uniqueid,
        queue: e.queue,
        direction: e.direction,
        callernum: e.callernum,
        state: 'waiting',
        ringing: [],
        since: e.time,
        variables: e.variables,
      };
      if (typeof e.callername === 'string') call.callername = e.callername;
      state.calls.set(e.uniqueid, call);
      state.stats.calls += 1;
      effect.newCall = true;
    }
    return call;
  };
  switch (event.event) {
    case 'ringing': {
      const call = callFor(event);
      if (!call.ringing.includes(event.peer)) call.ringing.push(event.peer);
      break;
    }
    case 'ringend': {
      const call = state.calls.get(event.uniqueid);
      if (call !== undefined) call.ringing = call.ringing.filter((p) => p !== event.peer);
      break;
    }
    case 'up': {
      const call = callFor(event);
      call.state = 'talking';
      call.peer = event.peer;
      call.agentname = event.agentname;
      call.answeredAt = event.time;
      call.ringing = call.ringing.filter((p) => p !== event.peer);
      state.stats.answered += 1;
      state.holdTotal += secondsOf(event.holdtime);
      state.stats.avgHoldSeconds = Math.round((state.holdTotal / state.stats.answered) * 10) / 10;
      effect.answered = true;
      break;
    }
    case 'hangup':
      state.calls.delete(event.uniqueid);
      break;
    case 'abandon':
      if (!state.calls.delete(event.uniqueid)) {
        state.stats.calls += 1;
        effect.newCall = true;
      }
      state.stats.abandoned += 1;
      effect.abandoned = true;
      break;
    case 'outbound':
      state.stats.outbound += 1;
      effect.outbound = true;
      break;
  }
  return effect;
}

/** An agent's presence changed; `now` is the hub time it is seen at. */
export function applyPresence(state: LiveState, presence: AgentPresence, now: string): void {
  const previous = state.agents.get(presence.peer);
  const agent: LiveAgent = {
    peer: presence.peer,
    state: presence.state,
    sessions: presence.sessions,
    since: previous !== undefined && previous.state === presence.state ? previous.since : now,
  };
  const name = presence.name ?? previous?.name;
  if (name !== undefined) agent.name = name;
  if (presence.uniqueid !== undefined) agent.uniqueid = presence.uniqueid;
  // Pause and queues (protocol 1.2): a presence without them keeps what was known.
  const paused = presence.paused ?? previous?.paused;
  if (paused !== undefined) agent.paused = paused;
  const reason = presence.paused === false ? undefined : (presence.reason ?? previous?.reason);
  if (reason !== undefined) agent.reason = reason;
  const pausedSince = presence.paused === false ? undefined : (presence.pausedSince ?? previous?.pausedSince);
  if (pausedSince !== undefined) agent.pausedSince = pausedSince;
  const queues = presence.queues ?? previous?.queues;
  if (queues !== undefined) agent.queues = queues;
  state.agents.set(presence.peer, agent);
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
