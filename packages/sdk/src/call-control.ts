import {
  callControlAck,
  callControlSchemas,
  callDialAck,
  parseOrThrow,
  type CallControlCommandMap,
  type CallControlCommandName,
} from '@shuttle-cti/protocol';
import { readAck } from './commands.js';
import type { CallControlResult } from './types.js';

/** Validates a call-control payload with the hub's own schema (`INVALID_PAYLOAD` naming the field). */
export function buildCallControl<N extends CallControlCommandName>(name: N, payload: unknown): CallControlCommandMap[N] {
  return parseOrThrow(callControlSchemas[name], payload, name) as CallControlCommandMap[N];
}

/** Turns the hub's ack into a result or a `CtiError` (`FORBIDDEN`, `PBX_ERROR` with the PBX's text, ...). */
export function readCallControlAck(ack: unknown, command: CallControlCommandName): CallControlResult {
  const { id, uniqueid } = readAck(command === 'CallDial' ? callDialAck : callControlAck, ack, command);
  return typeof uniqueid === 'string' ? { id, uniqueid } : { id };
}
