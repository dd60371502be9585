import type { DayStats, LiveAgent, LiveCall } from '../live.js';
import { jsonByteLength } from '../limits.js';
import { rollDay } from './day.js';
import type { FloorState } from './state.js';

export interface BoundedFloor {
  calls: LiveCall[];
  agents: LiveAgent[];
  stats: DayStats;
  /** Calls and agents left out to stay within the budget (0 and 0 when everything fits). */
  omittedCalls: number;
  omittedAgents: number;
}

/**
 * The floor for a snapshot, at most `maxBytes` of JSON for its calls and agents
 * together. When everything fits, that is every call and agent in first-seen order.
 * Otherwise the budget goes first to agents with a panel open, then to the calls most
 * recently started, then to the other agents not offline, then to offline ones (each
 * most recently changed first); the lists keep first-seen order. The work is bounded by the budget, not by the size of the floor.
 */
export function boundedFloor(state: FloorState, maxBytes: number, now?: string): BoundedFloor {
  if (now !== undefined) rollDay(state, now);
  let left = maxBytes;
  let full = false;
  const fits = (item: LiveCall | LiveAgent): boolean => {
    if (full) return false;
    const size = jsonByteLength(item) + 1;
    if (size > left) {
      full = true;
      return false;
    }
    left -= size;
    return true;
  };
  const agents = new Set<string>();
  const calls = new Set<string>();
  const peers = [...state.recency.keys()].reverse();
  const takeAgents = (wanted: (agent: LiveAgent) => boolean): void => {
    for (const peer of peers) {
      if (full) return;
      const agent = state.agents.get(peer);
      if (agent !== undefined && !agents.has(peer) && wanted(agent) && fits(agent)) agents.add(peer);
    }
  };
  takeAgents((agent) => agent.sessions > 0);
  const started = [...state.calls.values()];
  for (let i = started.length - 1; i >= 0 && !full; i--) {
    const call = started[i];
    if (call !== undefined && fits(call)) calls.add(call.uniqueid);
  }
  takeAgents((agent) => agent.state !== 'offline');
  takeAgents(() => true);
  const callList = calls.size === state.calls.size ? started : started.filter((call) => calls.has(call.uniqueid));
  const agentList: LiveAgent[] = [];
  for (const agent of state.agents.values()) if (agents.has(agent.peer)) agentList.push(agent);
  return {
    calls: callList,
    agents: agentList,
    stats: { ...state.stats },
    omittedCalls: state.calls.size - callList.length,
    omittedAgents: state.agents.size - agentList.length,
  };
}
