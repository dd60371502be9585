import { z } from 'zod';
import { agentStateEvent, type AgentStateInput } from './call-control.js';
import { abandonEvent, callEventNames, hangupEvent, outboundEvent, ringendEvent, ringingEvent, upEvent, type CallEventInput } from './events.js';

/**
 * The hub's one numbered stream (protocol 1.2): the call events and `agentstate`. Every
 * item is stored, numbered by `seq`, published and replayed alike; `event` tells which
 * it is, so `event.event === 'agentstate'` narrows an item to the agent state.
 */
export const streamEvent = z.discriminatedUnion('event', [
  ringingEvent,
  upEvent,
  hangupEvent,
  abandonEvent,
  outboundEvent,
  ringendEvent,
  agentStateEvent,
]);
export type StreamEvent = z.infer<typeof streamEvent>;
export type StreamEventName = StreamEvent['event'];

/** The names of the stream's events: the call events' and `agentstate`. */
export const streamEventNames: readonly StreamEventName[] = [...callEventNames, 'agentstate'];

/** Any item of the stream as a source sends it (before the hub numbers it). */
export type StreamEventInput = CallEventInput | AgentStateInput;
