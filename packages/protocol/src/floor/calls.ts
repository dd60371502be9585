import type { AgentPresence, LiveCall } from '../live.js';
import { releaseKnownAgent } from './agents.js';
import { answeredSet, msOf, type FloorState } from './state.js';

/** Records an event for `call` at `time`: it becomes the most recently updated of its state. */
export function touchCall(state: FloorState, call: LiveCall, time: string): void {
  state.waiting.delete(call.uniqueid);
  state.talking.delete(call.uniqueid);
  (call.state === 'talking' ? state.talking : state.waiting).set(call.uniqueid, msOf(time));
}

/** Marks `call` answered by `peer` (after `up`). */
export function answerCall(state: FloorState, call: LiveCall, peer: string): void {
  if (call.peer !== undefined && call.peer !== peer) state.answeredBy.get(call.peer)?.delete(call.uniqueid);
  call.state = 'talking';
  call.peer = peer;
  answeredSet(state, peer).add(call.uniqueid);
}

/** Takes a call out of the live view and its indexes; returns it. */
export function removeCall(state: FloorState, uniqueid: string): LiveCall | undefined {
  const call = state.calls.get(uniqueid);
  if (call === undefined) return undefined;
  state.calls.delete(uniqueid);
  state.waiting.delete(uniqueid);
  state.talking.delete(uniqueid);
  if (call.peer !== undefined) {
    const answered = state.answeredBy.get(call.peer);
    answered?.delete(uniqueid);
    if (answered?.size === 0) state.answeredBy.delete(call.peer);
  }
  return call;
}

/**
 * Drops a call that will get no end event (expired or evicted): the peers being rung
 * for it and the one talking on it are released, as a hangup would.
 */
export function dropCall(state: FloorState, uniqueid: string, time: string, changed: AgentPresence[]): void {
  const call = removeCall(state, uniqueid);
  if (call === undefined) return;
  for (const peer of call.ringing) releaseKnownAgent(state, peer, time, changed);
  if (call.peer !== undefined) releaseKnownAgent(state, call.peer, time, changed);
}

/** Keeps at most `maxCalls`: the waiting call updated longest ago goes first, then the talking one. */
export function enforceCallCeiling(state: FloorState, keep: string, time: string, changed: AgentPresence[]): void {
  while (state.calls.size > state.limits.maxCalls) {
    let victim: string | undefined;
    for (const index of [state.waiting, state.talking]) {
      for (const uniqueid of index.keys()) {
        if (uniqueid !== keep) {
          victim = uniqueid;
          break;
        }
      }
      if (victim !== undefined) break;
    }
    if (victim === undefined) return;
    dropCall(state, victim, time, changed);
    state.removals.evictedCalls += 1;
  }
}
