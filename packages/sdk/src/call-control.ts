import {
  CtiError,
  ErrorCode,
  callControlSchemas,
  isWireError,
  parseOrThrow,
  type CallControlCommandMap,
  type CallControlCommandName,
} from '@shuttle-cti/protocol';

/** What a call-control command resolves with: its id, and for `dial` the call's uniqueid. */
export interface CallControlResult {
  id: string;
  /** `dial` only: the uniqueid that the call's events (`outbound`, ...) carry. */
  uniqueid?: string;
}

/** Validates a call-control payload with the hub's own schema (`INVALID_PAYLOAD` naming the field). */
export function buildCallControl<N extends CallControlCommandName>(name: N, payload: unknown): CallControlCommandMap[N] {
  return parseOrThrow(callControlSchemas[name], payload, name) as CallControlCommandMap[N];
}

/** Turns the hub's ack into a result or a `CtiError` (`FORBIDDEN`, `PBX_ERROR` with the PBX's text, ...). */
export function readCallControlAck(ack: unknown, command: string): CallControlResult {
  const a = ack as { ok?: unknown; id?: unknown; uniqueid?: unknown; error?: unknown } | null | undefined;
  if (a && a.ok === true && typeof a.id === 'string') {
    return typeof a.uniqueid === 'string' ? { id: a.id, uniqueid: a.uniqueid } : { id: a.id };
  }
  if (a && a.ok === false && isWireError(a.error)) throw CtiError.fromWire(a.error);
  throw new CtiError(ErrorCode.INTERNAL, `${command}: unexpected answer from the hub`);
}
