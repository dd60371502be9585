import type { CallEvent } from '@shuttle-cti/protocol';
import { secondsOf } from '../common/format.js';

interface CallInfo {
  uniqueid: string;
  callernum: string;
  callername: string;
  queue: string;
}

/** What the agent's call card shows, derived from the call events of its peer. */
export type CallCardState =
  | { phase: 'idle' }
  | (CallInfo & { phase: 'ringing'; since: number })
  | (CallInfo & { phase: 'talking'; since: number; holdSeconds: number })
  | (CallInfo & { phase: 'outbound'; since: number; dialled: string })
  | (CallInfo & { phase: 'ended'; at: number; talkSeconds: number; reason: string; answered: boolean });

export const idle: CallCardState = { phase: 'idle' };

const reasons: Record<string, string> = {
  agent: 'you hung up',
  caller: 'the caller hung up',
  transfer: 'transferred',
  timeout: 'not answered in time',
  'answered-elsewhere': 'answered by a colleague',
  'caller-left': 'the caller left',
  busy: 'line busy',
  unavailable: 'unavailable',
  abandon: 'the caller hung up while waiting',
};

export function describeReason(reason: string): string {
  return reasons[reason] ?? reason;
}

/**
 * Applies one call event (`at` = local time of the event). Events of another call only
 * replace the card when they start something new (a ringing, an answer), so a late
 * hangup of an old call never hides the current one.
 */
export function applyCallEvent(state: CallCardState, event: CallEvent, at: number): CallCardState {
  const current = state.phase === 'idle' ? undefined : state.uniqueid;
  switch (event.event) {
    case 'ringing':
      if (state.phase === 'talking' && current !== event.uniqueid) return state;
      return { phase: 'ringing', ...info(event), since: state.phase === 'ringing' && current === event.uniqueid ? state.since : at };
    case 'up':
      return { phase: 'talking', ...info(event), since: at, holdSeconds: secondsOf(event.holdtime) };
    case 'outbound':
      return { phase: 'outbound', ...info(event), queue: '', since: at, dialled: event.extension };
    case 'hangup':
      if (current !== event.uniqueid) return state;
      return { phase: 'ended', ...info(event), at, talkSeconds: secondsOf(event.talktime), reason: event.reason, answered: true };
    case 'ringend':
      if (current !== event.uniqueid || state.phase !== 'ringing') return state;
      return { phase: 'ended', ...info(event), at, talkSeconds: 0, reason: event.reason, answered: false };
    case 'abandon':
      if (current !== event.uniqueid || state.phase !== 'ringing') return state;
      return { phase: 'ended', ...info(event), at, talkSeconds: 0, reason: 'abandon', answered: false };
  }
}

function info(event: CallEvent): CallInfo {
  return {
    uniqueid: event.uniqueid,
    callernum: text(event.callernum),
    callername: text(event.callername),
    queue: text(event.queue),
  };
}

/** Outbound events have neither queue nor caller name: read fields defensively. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
