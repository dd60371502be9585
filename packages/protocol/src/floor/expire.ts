import type { AgentPresence } from '../live.js';
import { forgetAgent } from './agents.js';
import { dropCall } from './calls.js';
import { rollDay } from './day.js';
import type { FloorState } from './state.js';

export interface FloorExpiry {
  calls: number;
  agents: number;
  /** Agents released from the dropped calls, in order. */
  changed: AgentPresence[];
}

/**
 * The schedule, run at hub time `now` (ms): a waiting call with no event for
 * `waitingCallMs`, and a talking one with none for `talkingCallMs`, lost their end
 * event and are dropped (their agents released); an agent offline with no change for
 * `offlineAgentMs` is forgotten. Also rolls today's counters over at 00:00 UTC.
 * Cost: the entries removed, not the size of the floor.
 */
export function expireFloor(state: FloorState, now: number): FloorExpiry {
  const time = new Date(now).toISOString();
  rollDay(state, time);
  const result: FloorExpiry = { calls: 0, agents: 0, changed: [] };
  result.calls = expireCalls(state, now - state.limits.waitingCallMs, now - state.limits.talkingCallMs, time, result.changed);
  const before = now - state.limits.offlineAgentMs;
  for (const [peer, ms] of state.offline) {
    if (ms >= before) break;
    forgetAgent(state, peer);
    result.agents += 1;
  }
  state.removals.forgottenAgents += result.agents;
  return result;
}

/** Drops the waiting calls last updated before `waitingBefore` and the talking ones before `talkingBefore`. */
export function expireCalls(state: FloorState, waitingBefore: number, talkingBefore: number, time: string, changed: AgentPresence[]): number {
  let dropped = 0;
  for (const [index, before] of [
    [state.waiting, waitingBefore],
    [state.talking, talkingBefore],
  ] as const) {
    for (const [uniqueid, ms] of index) {
      if (ms >= before) break;
      dropCall(state, uniqueid, time, changed);
      dropped += 1;
    }
  }
  state.removals.expiredCalls += dropped;
  return dropped;
}
