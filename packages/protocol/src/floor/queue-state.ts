import type { AgentStateEvent, AgentWelcomeState } from '../call-control.js';
import type { AgentPresence } from '../live.js';
import { agentOf, copyQueueFields, presenceOf } from './agents.js';
import type { FloorState, QueueMembership } from './state.js';

/**
 * Folds an `agentstate` (one queue of one peer) into the agent's pause and queue fields:
 * `queues` are the queues it is a member of, `paused` is true while it is paused in any
 * of them, `reason` is the newest pause's, `pausedSince` when it went from ready to
 * paused. Returns the agent's new presence.
 */
export function applyAgentState(state: FloorState, event: AgentStateEvent): AgentPresence[] {
  const agent = agentOf(state, event.peer, event.time);
  const queues = membershipsOf(state, event.peer);
  if (event.member) queues.set(event.queue, { paused: event.paused, reason: event.reason });
  else queues.delete(event.queue);
  if (typeof event.agentname === 'string' && event.agentname !== '' && agent.name === undefined) agent.name = event.agentname;
  let paused = false;
  for (const q of queues.values()) paused ||= q.paused;
  if (paused && !agent.paused) agent.pausedSince = event.time;
  if (!paused) delete agent.pausedSince;
  agent.paused = paused;
  if (paused && event.paused && event.reason !== undefined) agent.reason = event.reason;
  else if (!paused) delete agent.reason;
  agent.queues = [...queues.keys()].sort();
  return [presenceOf(agent)];
}

/**
 * An agent's own pause state and queues, for its `welcome`: the presence's fields and the
 * queues it is paused in. Undefined while no `agentstate` has named the agent.
 */
export function ownAgentState(state: FloorState, peer: string): AgentWelcomeState | undefined {
  const agent = state.agents.get(peer);
  if (agent?.queues === undefined) return undefined;
  const own: AgentWelcomeState = {};
  copyQueueFields(agent, own);
  const queues = state.memberships.get(peer);
  if (queues) own.pausedQueues = [...queues].filter(([, q]) => q.paused).map(([name]) => name).sort();
  return own;
}

/**
 * The peer's memberships. They outlive the agent's entry (an agent forgotten while offline
 * is still in its queues, and its next `agentstate` names one queue only), so they are
 * bounded on their own: past `maxAgents` peers, the peer named longest ago that the floor
 * no longer holds goes first.
 */
function membershipsOf(state: FloorState, peer: string): Map<string, QueueMembership> {
  let queues = state.memberships.get(peer);
  if (queues) {
    state.memberships.delete(peer);
  } else {
    queues = new Map();
    if (state.memberships.size >= state.limits.maxAgents) {
      for (const old of state.memberships.keys()) {
        if (!state.agents.has(old)) {
          state.memberships.delete(old);
          break;
        }
      }
    }
  }
  state.memberships.set(peer, queues);
  return queues;
}
