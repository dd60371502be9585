import type { DayStats, LiveAgent, LiveCall } from '../live.js';
import { jsonByteLength } from '../limits.js';
import { rollDay } from './day.js';
import type { FloorState } from './state.js';

/** Which calls and agents a snapshot may show (a scoped supervisor's); absent: all of them. */
export interface FloorFilter {
  call(call: LiveCall): boolean;
  agent(agent: LiveAgent): boolean;
}

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
 * With a `filter`, only the calls and agents it passes count, in the same order.
 */
export function boundedFloor(state: FloorState, maxBytes: number, now?: string, filter?: FloorFilter): BoundedFloor {
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
      if (agent !== undefined && !agents.has(peer) && wanted(agent) && (filter?.agent(agent) ?? true) && fits(agent)) agents.add(peer);
    }
  };
  takeAgents((agent) => agent.sessions > 0);
  const started = filter ? [...state.calls.values()].filter((call) => filter.call(call)) : [...state.calls.values()];
  for (let i = started.length - 1; i >= 0 && !full; i--) {
    const call = started[i];
    if (call !== undefined && fits(call)) calls.add(call.uniqueid);
  }
  takeAgents((agent) => agent.state !== 'offline');
  takeAgents(() => true);
  const callList = calls.size === started.length ? started : started.filter((call) => calls.has(call.uniqueid));
  const agentList: LiveAgent[] = [];
  let shown = 0;
  for (const agent of state.agents.values()) {
    if (filter && !filter.agent(agent)) continue;
    shown += 1;
    if (agents.has(agent.peer)) agentList.push(agent);
  }
  return {
    calls: callList,
    agents: agentList,
    stats: { ...state.stats },
    omittedCalls: started.length - callList.length,
    omittedAgents: shown - agentList.length,
  };
}
