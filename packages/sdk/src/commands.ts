import {
  CtiError,
  ErrorCode,
  Limits,
  agentCtiCommand,
  agentCtiNotificationCommand,
  commandAck,
  customVariablesRequest,
  jsonByteLength,
  parseOrThrow,
  realtimeCtiCommand,
  variablesAck,
  type AgentCtiCommand,
  type AgentCtiNotificationCommand,
  type NotificationType,
  type RealtimeCtiCommand,
  type WakeupMode,
  type WireError,
} from '@shuttle-cti/protocol';
import type { CommandResult } from './types.js';

type Schema = Parameters<typeof parseOrThrow>[0];

/** Same checks, in the same order, with the same errors as the hub's (size, then schema). */
function validate<S extends Schema>(schema: S, payload: unknown, what: string): ReturnType<typeof parseOrThrow<S>> {
  if (jsonByteLength(payload) > Limits.payloadBytes) {
    throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `${what}: larger than ${Limits.payloadBytes} bytes`);
  }
  return parseOrThrow(schema, payload, what);
}

const withId = <T extends object>(payload: T, id: string | undefined): T & { id?: string } =>
  id === undefined ? payload : { ...payload, id };

/**
 * Builds and validates an `AgentCTI` payload, as `wakeup` sends it.
 * Throws a `CtiError` (`INVALID_PAYLOAD` with `field`) for a bad argument.
 *
 * @example
 * const payload = buildWakeup('https://crm.example/search?phone=1003', 'SIP/andrea.bianco', 'new_tab');
 */
export function buildWakeup(url: string, peer: string, mode: WakeupMode, id?: string): AgentCtiCommand {
  return validate(agentCtiCommand, withId({ url, peer, mode }, id), 'AgentCTI');
}

/**
 * Builds and validates an `AgentCTINotification` payload, as `notification` sends it.
 *
 * @example
 * const payload = buildNotification('SIP/andrea.bianco', 'info', 'Incoming call', 'Caller 1003');
 */
export function buildNotification(
  peer: string,
  type: NotificationType,
  title: string,
  body: string,
  id?: string,
): AgentCtiNotificationCommand {
  return validate(agentCtiNotificationCommand, withId({ peer, type, title, body }, id), 'AgentCTINotification');
}

/**
 * Builds and validates a `RealtimeCTI` payload, as `pushevent` sends it. Like the original
 * `pushevent`, it sets `time` on the call data when missing (on a copy: `data` is not changed).
 *
 * @example
 * const payload = buildPushevent('SalesCRM', call, 'ticket-42', 'https://crm.example/tickets/42');
 */
export function buildPushevent(
  appname: string,
  data: Record<string, unknown>,
  reference: string,
  url?: string,
  id?: string,
): RealtimeCtiCommand {
  const channel: unknown =
    typeof data === 'object' && data !== null && !Array.isArray(data) && data['time'] === undefined
      ? { ...data, time: new Date().toISOString() }
      : data;
  const payload = url === undefined ? { type: appname, channel, reference } : { type: appname, channel, reference, url };
  return validate(realtimeCtiCommand, withId(payload, id), 'RealtimeCTI');
}

/**
 * Validates a `CustomVariables` request.
 *
 * @example
 * const request = buildVariablesRequest('1599601698.94');
 */
export function buildVariablesRequest(uniqueid: string): { uniqueid: string } {
  return validate(customVariablesRequest, { uniqueid }, 'CustomVariables');
}

/**
 * Parses an ack with its protocol schema: the success branch, or the hub's error as a
 * `CtiError`; anything else (another shape, a code outside the table) is `INTERNAL`.
 */
export function readAck<T extends { ok: true } | { ok: false; error: WireError }>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  ack: unknown,
  command: string,
): Extract<T, { ok: true }> {
  const parsed = schema.safeParse(ack);
  if (!parsed.success) throw new CtiError(ErrorCode.INTERNAL, `${command}: unexpected answer from the hub`);
  const answer: T = parsed.data;
  if (answer.ok) return answer as Extract<T, { ok: true }>;
  throw CtiError.fromWire(answer.error);
}

/** Turns the hub's ack into a result or a `CtiError`. */
export function readCommandAck(ack: unknown, command: string): CommandResult {
  const { id, delivered, queued, duplicate } = readAck(commandAck, ack, command);
  return duplicate === true ? { id, delivered, queued, duplicate } : { id, delivered, queued };
}

/** Turns the hub's answer to `CustomVariables` into the variables or a `CtiError`. */
export function readVariablesAck(ack: unknown): Record<string, string> {
  return readAck(variablesAck, ack, 'CustomVariables').variables;
}
