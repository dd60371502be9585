import type { CallEvent } from '../events.js';
import type { AgentPresence, LiveCall } from '../live.js';
import { agentOf, releaseAgent, releaseKnownAgent, setAgentState } from './agents.js';
import { answerCall, dropCall, enforceCallCeiling, removeCall, touchCall } from './calls.js';
import { parseSeconds, rollDay } from './day.js';
import type { FloorState } from './state.js';

/** What one call event did to the floor. */
export interface FloorChange {
  /** The event started a call (first `ringing` or `up`, or an `abandon` of an unseen call). */
  newCall: boolean;
  answered: boolean;
  abandoned: boolean;
  outbound: boolean;
  /** Agents whose presence changed, in order (the hub sends each as an `agent` event). */
  agents: AgentPresence[];
}

/**
 * Applies one call event. The rules: a call is counted on its first `ringing` or `up`,
 * or on an `abandon` without one; outbound calls are counted, not tracked, as no event
 * ends them; an event is counted only on the UTC day of its `time` (see `rollDay`).
 * Ringing peers go back to idle (or to another call they answered) on `ringend`, and
 * on the `hangup` or `abandon` of the call they were rung for.
 */
export function applyCallEvent(state: FloorState, event: CallEvent): FloorChange {
  const counted = rollDay(state, event.time);
  const change: FloorChange = { newCall: false, answered: false, abandoned: false, outbound: false, agents: [] };
  const count = (key: 'calls' | 'answered' | 'abandoned' | 'outbound'): void => {
    if (counted) state.stats[key] += 1;
  };

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
      count('calls');
      change.newCall = true;
    }
    // Each event carries the call's custom variables as they are now.
    call.variables = e.variables;
    return call;
  };

  switch (event.event) {
    case 'ringing': {
      const call = callFor(event);
      if (!call.ringing.includes(event.peer)) {
        call.ringing.push(event.peer);
        if (call.ringing.length > state.limits.maxRingingPerCall) {
          const first = call.ringing.shift();
          if (first !== undefined) releaseKnownAgent(state, first, event.time, change.agents);
        }
      }
      touchCall(state, call, event.time);
      change.agents.push(setAgentState(state, event.peer, 'ringing', event.time, event.uniqueid, event.agentname));
      enforceCallCeiling(state, call.uniqueid, event.time, change.agents);
      break;
    }
    case 'ringend': {
      const call = state.calls.get(event.uniqueid);
      if (call !== undefined) {
        call.ringing = call.ringing.filter((p) => p !== event.peer);
        touchCall(state, call, event.time);
      }
      change.agents.push(releaseAgent(state, event.peer, event.time));
      break;
    }
    case 'up': {
      const call = callFor(event);
      answerCall(state, call, event.peer);
      call.agentname = event.agentname;
      call.answeredAt = event.time;
      call.holdtime = event.holdtime;
      call.ringtime = event.ringtime;
      call.ringing = call.ringing.filter((p) => p !== event.peer);
      touchCall(state, call, event.time);
      if (counted) {
        state.stats.answered += 1;
        state.holdTotal += parseSeconds(event.holdtime);
        state.stats.avgHoldSeconds = Math.round((state.holdTotal / state.stats.answered) * 10) / 10;
      }
      change.answered = true;
      change.agents.push(setAgentState(state, event.peer, 'on-call', event.time, event.uniqueid, event.agentname));
      enforceCallCeiling(state, call.uniqueid, event.time, change.agents);
      break;
    }
    case 'outbound': {
      count('outbound');
      change.outbound = true;
      if (event.agentname) agentOf(state, event.peer, event.time).name = event.agentname;
      break;
    }
    case 'hangup': {
      const call = removeCall(state, event.uniqueid);
      for (const peer of call?.ringing ?? []) releaseKnownAgent(state, peer, event.time, change.agents);
      change.agents.push(releaseAgent(state, event.peer, event.time));
      if (call?.peer !== undefined && call.peer !== event.peer) releaseKnownAgent(state, call.peer, event.time, change.agents);
      break;
    }
    case 'abandon': {
      if (!state.calls.has(event.uniqueid)) {
        count('calls');
        change.newCall = true;
      }
      dropCall(state, event.uniqueid, event.time, change.agents);
      count('abandoned');
      change.abandoned = true;
      break;
    }
  }
  return change;
}
