import type { AgentPresence, AgentStateEvent, AgentWelcomeState, LiveAgent } from '@shuttle-cti/protocol';

/**
 * Folds `agentstate` events (one queue each) into an agent's pause and queue fields:
 * `queues` are the queues it is a member of, `paused` is true while it is paused in any
 * of them, `reason` is the newest pause's, `pausedSince` when it went from ready to paused.
 */
export function createAgentQueueState(): {
  apply(agent: LiveAgent, event: AgentStateEvent): void;
  copy(agent: LiveAgent, presence: AgentPresence): void;
  /** The agent's own state for its `welcome`: the presence's fields and the queues it is paused in. */
  own(agent: LiveAgent): AgentWelcomeState;
} {
  const byPeer = new Map<string, Map<string, { paused: boolean; reason?: string | undefined }>>();
  return {
    apply(agent, event) {
      let queues = byPeer.get(event.peer);
      if (!queues) {
        queues = new Map();
        byPeer.set(event.peer, queues);
      }
      if (event.member) queues.set(event.queue, { paused: event.paused, reason: event.reason });
      else queues.delete(event.queue);
      if (typeof event.agentname === 'string' && event.agentname !== '' && agent.name === undefined) agent.name = event.agentname;
      const paused = [...queues.values()].some((q) => q.paused);
      if (paused && !agent.paused) agent.pausedSince = event.time;
      if (!paused) delete agent.pausedSince;
      agent.paused = paused;
      if (paused && event.paused && event.reason !== undefined) agent.reason = event.reason;
      else if (!paused) delete agent.reason;
      agent.queues = [...queues.keys()].sort();
    },
    copy(agent, presence) {
      if (agent.paused !== undefined) presence.paused = agent.paused;
      if (agent.reason !== undefined) presence.reason = agent.reason;
      if (agent.pausedSince !== undefined) presence.pausedSince = agent.pausedSince;
      if (agent.queues !== undefined) presence.queues = agent.queues;
    },
    own(agent) {
      const state: AgentWelcomeState = {};
      if (agent.paused !== undefined) state.paused = agent.paused;
      if (agent.reason !== undefined) state.reason = agent.reason;
      if (agent.pausedSince !== undefined) state.pausedSince = agent.pausedSince;
      if (agent.queues !== undefined) state.queues = agent.queues;
      const queues = byPeer.get(agent.peer);
      if (queues) state.pausedQueues = [...queues].filter(([, q]) => q.paused).map(([name]) => name).sort();
      return state;
    },
  };
}
