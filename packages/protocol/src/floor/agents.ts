import type { AgentQueueState } from '../call-control.js';
import type { AgentPresence, AgentState, LiveAgent } from '../live.js';
import { msOf, type FloorState } from './state.js';

/** The presence an `agent` event carries for an agent. */
export function presenceOf(agent: LiveAgent): AgentPresence {
  const presence: AgentPresence = { peer: agent.peer, state: agent.state, sessions: agent.sessions };
  if (agent.name !== undefined) presence.name = agent.name;
  if (agent.uniqueid !== undefined) presence.uniqueid = agent.uniqueid;
  copyQueueFields(agent, presence);
  return presence;
}

/** The pause and queue-membership fields (from `agentstate`), where the agent has them: for its presence and its own `welcome`. */
export function copyQueueFields(from: LiveAgent, to: AgentQueueState): void {
  if (from.paused !== undefined) to.paused = from.paused;
  if (from.reason !== undefined) to.reason = from.reason;
  if (from.pausedSince !== undefined) to.pausedSince = from.pausedSince;
  if (from.queues !== undefined) to.queues = from.queues;
}

/** Records that `agent` changed at `ms`: it becomes the most recent, and offline agents are timed from here. */
function touch(state: FloorState, agent: LiveAgent, ms: number): void {
  state.recency.delete(agent.peer);
  state.recency.set(agent.peer, true);
  state.offline.delete(agent.peer);
  if (agent.state === 'offline') state.offline.set(agent.peer, ms);
}

export function forgetAgent(state: FloorState, peer: string): void {
  state.agents.delete(peer);
  state.recency.delete(peer);
  state.offline.delete(peer);
}

/**
 * Keeps at most `maxAgents`: the agent offline longest goes first; with none offline,
 * the one changed longest ago that has no panel open. Agents with a panel open are
 * never dropped (their number is bounded by the connections). `keep` is the agent
 * being changed.
 */
function enforceCeiling(state: FloorState, keep: string): void {
  while (state.agents.size > state.limits.maxAgents) {
    let victim: string | undefined;
    for (const peer of state.offline.keys()) {
      if (peer !== keep) {
        victim = peer;
        break;
      }
    }
    if (victim === undefined) {
      // Agents with a panel open are moved to the back as they are passed, so each is
      // passed at most once per round of evictions.
      let passed = 0;
      for (const peer of state.recency.keys()) {
        if (passed >= state.recency.size) break;
        const agent = state.agents.get(peer);
        if (peer !== keep && agent !== undefined && agent.sessions === 0) {
          victim = peer;
          break;
        }
        passed++;
        if (peer !== keep) {
          state.recency.delete(peer);
          state.recency.set(peer, true);
        }
      }
    }
    if (victim === undefined) return;
    forgetAgent(state, victim);
    state.removals.evictedAgents += 1;
  }
}

/** The agent of `peer`, created offline (and timed from `time`) when unknown. */
export function agentOf(state: FloorState, peer: string, time: string): LiveAgent {
  let agent = state.agents.get(peer);
  if (agent === undefined) {
    agent = { peer, state: 'offline', sessions: 0, since: time };
    state.agents.set(peer, agent);
    touch(state, agent, msOf(time));
    enforceCeiling(state, peer);
  }
  return agent;
}

/**
 * Sets an agent's state as a call event implies it; `idle` without a panel open is
 * `offline`. `since` moves only when the state changes.
 */
export function setAgentState(
  state: FloorState,
  peer: string,
  next: AgentState,
  time: string,
  uniqueid?: string,
  name?: string,
): AgentPresence {
  const agent = agentOf(state, peer, time);
  if (name) agent.name = name;
  const effective: AgentState = next === 'idle' && agent.sessions === 0 ? 'offline' : next;
  if (agent.state !== effective) agent.since = time;
  agent.state = effective;
  if (uniqueid === undefined) delete agent.uniqueid;
  else agent.uniqueid = uniqueid;
  touch(state, agent, msOf(time));
  return presenceOf(agent);
}

/** After a ring or a call ends for `peer`: on its oldest other answered call, or idle. */
export function releaseAgent(state: FloorState, peer: string, time: string): AgentPresence {
  const busy = state.answeredBy.get(peer)?.values().next();
  return busy !== undefined && busy.done !== true
    ? setAgentState(state, peer, 'on-call', time, busy.value)
    : setAgentState(state, peer, 'idle', time);
}

/**
 * Releases `peer` from a ring or a call that ended without an event of its own; an agent
 * the floor no longer holds (evicted, forgotten) is left out rather than brought back.
 */
export function releaseKnownAgent(state: FloorState, peer: string, time: string, changed: AgentPresence[]): void {
  if (state.agents.has(peer)) changed.push(releaseAgent(state, peer, time));
}

/**
 * The hub's count of open agent panels for `peer` changed (at hub time `time`):
 * an idle agent whose last panel closed is offline, an offline one that opened one is idle.
 */
export function setAgentSessions(state: FloorState, peer: string, sessions: number, time: string, name?: string): AgentPresence {
  const agent = agentOf(state, peer, time);
  agent.sessions = sessions;
  if (name) agent.name = name;
  if (sessions === 0 && agent.state === 'idle') return setAgentState(state, peer, 'offline', time, undefined);
  if (sessions > 0 && agent.state === 'offline') return setAgentState(state, peer, 'idle', time, undefined);
  touch(state, agent, msOf(time));
  return presenceOf(agent);
}

/**
 * A presence the hub sent (the dashboard's side of `setAgentSessions`): the hub's word
 * on the agent. `since` is kept while the state is unchanged, else `time`.
 */
export function applyAgentPresence(state: FloorState, presence: AgentPresence, time: string): void {
  const previous = state.agents.get(presence.peer);
  const agent: LiveAgent = {
    peer: presence.peer,
    state: presence.state,
    sessions: presence.sessions,
    since: previous !== undefined && previous.state === presence.state ? previous.since : time,
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
  touch(state, agent, msOf(time));
  if (previous === undefined) enforceCeiling(state, presence.peer);
}
