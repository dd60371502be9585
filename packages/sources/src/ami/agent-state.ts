import type { AgentStateInput } from '@shuttle-cti/protocol';
import { amiField, type AmiMessage } from './parser.js';

/** Asterisk's device states (`ast_device_state`), in words. */
const statusWords: Record<string, string> = {
  '0': 'unknown',
  '1': 'idle',
  '2': 'in-use',
  '3': 'busy',
  '4': 'invalid',
  '5': 'unavailable',
  '6': 'ringing',
  '7': 'ringing-in-use',
  '8': 'on-hold',
};

const memberEvents = new Set(['QueueMemberPause', 'QueueMemberAdded', 'QueueMemberRemoved', 'QueueMemberStatus', 'QueueMember']);

/**
 * Queue-member events → `agentstate`, one per queue. `QueueMemberStatus` comes with every
 * device-state change of every member, so only a change of what `agentstate` carries is
 * sent. After a reconnect, `QueueStatus` lists every member (`QueueMember`, which says
 * `Name`/`Location` where the others say `MemberName`/`Interface`); a membership known
 * before and no longer listed becomes `member: false` when the list completes.
 */
export interface AgentStateMapper {
  handle(message: AmiMessage): AgentStateInput[];
}

export function createAgentStateMapper(): AgentStateMapper {
  const last = new Map<string, string>();
  const known = new Map<string, AgentStateInput>();
  let listed: Set<string> | undefined;

  function emit(state: AgentStateInput): AgentStateInput[] {
    const key = `${state.peer}\u0000${state.queue}`;
    listed?.add(key);
    const summary = JSON.stringify([state.member, state.paused, state.reason ?? '', state.status, state.agentname ?? '']);
    if (last.get(key) === summary) return [];
    last.set(key, summary);
    if (state.member) known.set(key, state);
    else known.delete(key);
    return [state];
  }

  return {
    handle(message) {
      const event = amiField(message, 'Event') ?? '';
      if (event === 'QueueStatusComplete') {
        const seen = listed;
        listed = undefined;
        if (!seen) return [];
        const gone = [...known].filter(([key]) => !seen.has(key));
        return gone.flatMap(([, state]) => emit(clean({ ...state, member: false, paused: false })));
      }
      if (!memberEvents.has(event)) return [];
      const isList = event === 'QueueMember';
      if (isList) listed ??= new Set();
      const queue = amiField(message, 'Queue');
      const peer = amiField(message, isList ? 'Location' : 'Interface');
      if (!queue || !peer) return [];
      const name = amiField(message, isList ? 'Name' : 'MemberName');
      const paused = amiField(message, 'Paused') === '1';
      const reason = amiField(message, 'PausedReason');
      const status = statusWords[amiField(message, 'Status') ?? ''] ?? 'unknown';
      const state: AgentStateInput = {
        event: 'agentstate',
        peer,
        ...(name ? { agentname: name } : {}),
        queue,
        member: event !== 'QueueMemberRemoved',
        paused,
        ...(paused && reason ? { reason } : {}),
        status,
      };
      return emit(state);
    },
  };
}

/** The state without its pause reason (a member that left is not paused). */
function clean(state: AgentStateInput): AgentStateInput {
  const { reason: _reason, ...rest } = state;
  return rest;
}
