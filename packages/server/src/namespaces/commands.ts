import {
  CtiError,
  ErrorCode,
  Limits,
  jsonByteLength,
  parseOrThrow,
  toCtiError,
  type CommandError,
  type WireError,
} from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { SessionData } from './auth.js';
import type { InterServerEvents } from './typed.js';

type Ack = (result: unknown) => void;

/** What running a command uses besides its handler: the log and the count of refusals, the rate in the refusal's message. */
export interface CommandDeps {
  logger: Logger;
  metrics: Metrics;
  config: Pick<HubConfig, 'limits'>;
}

/** A socket of any namespace: every one can send `cti_error`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own bound for event maps
export type CommandSocket<L extends Record<string, any>> = Socket<L, { cti_error: (error: CommandError) => void }, InterServerEvents, SessionData>;

/** What the ack callback of command `N` in the client-to-server map `L` is called with. */
export type AckResult<F> = F extends (payload: never, ack: (result: infer R) => void) => void ? R : never;

/** Splits socket.io arguments into the payload and the optional ack callback. */
function splitArgs(args: unknown[]): { payload: unknown; ack: Ack | undefined } {
  const last = args[args.length - 1];
  if (typeof last === 'function') return { payload: args.length > 1 ? args[0] : undefined, ack: last as Ack };
  return { payload: args[0], ack: undefined };
}

/** Answers an error the way the client can hear it: its ack, or a `cti_error` event for older scripts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own bound for event maps
export function replyError<L extends Record<string, any>>(socket: CommandSocket<L>, command: string, error: WireError, ack: Ack | undefined): void {
  if (ack) ack({ ok: false, error });
  else socket.emit('cti_error', { ...error, command });
}

/**
 * Registers a command handler that validates before anything else and never lets a bad
 * command throw, disconnect the client or reach others.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own bound for event maps
export function onCommand<L extends Record<string, any>, N extends keyof L & string, S extends z.ZodType>(
  socket: CommandSocket<L>,
  ctx: CommandDeps,
  command: N,
  schema: S,
  allow: () => boolean,
  handle: (payload: z.infer<S>) => Promise<AckResult<L[N]>>,
): void {
  // The payload is checked with `schema` in runCommand, not trusted by type.
  socket.on(command, ((...args: unknown[]) => runCommand(socket, ctx, command, schema, allow, handle, args)) as L[N]);
}

/** Validates and carries out one command as received (its socket.io arguments); every failure is answered. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own bound for event maps
function runCommand<L extends Record<string, any>, S extends z.ZodType, R>(
  socket: CommandSocket<L>,
  ctx: CommandDeps,
  command: string,
  schema: S,
  allow: () => boolean,
  handle: (payload: z.infer<S>) => Promise<R>,
  args: unknown[],
): void {
  const { payload, ack } = splitArgs(args);
  const fail = (error: unknown): void => {
    const e = toCtiError(error);
    if (e.code === ErrorCode.INTERNAL) ctx.logger.error({ err: error, command }, 'command failed');
    ctx.metrics.commandsRejected.inc({ command, code: e.code });
    const wire = e.code === ErrorCode.INTERNAL ? { code: ErrorCode.UNAVAILABLE, message: 'the hub could not carry out the command; retry later' } : e.toWire();
    replyError(socket, command, wire, ack);
  };
  try {
    if (!allow()) throw new CtiError(ErrorCode.RATE_LIMITED, `too many commands; at most ${ctx.config.limits.commandsPerSecond} per second per connection and ${ctx.config.limits.commandsPerSecondPerToken} per token`);
    if (jsonByteLength(payload) > Limits.payloadBytes) {
      throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `${command}: larger than ${Limits.payloadBytes} bytes`);
    }
    const parsed = parseOrThrow(schema, payload, command);
    handle(parsed).then((result) => ack?.(result), fail);
  } catch (error) {
    fail(error);
  }
}

/** A command of a namespace's table: built once, for every socket of the namespace. */
export interface CommandEntry {
  schema: z.ZodType;
  /** Called with the payload checked against `schema` and the sending socket's session. */
  handle(payload: unknown, session: SessionData): Promise<unknown>;
}

/**
 * All of a socket's commands behind one listener, from a table built once per namespace:
 * what `onCommand` for each command and `refuseOthers` do, without a listener and its
 * closures per command on every socket (10,000 agents made that 60,000 listeners).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own bound for event maps
export function dispatchCommands<L extends Record<string, any>>(socket: CommandSocket<L>, ctx: CommandDeps, table: ReadonlyMap<string, CommandEntry>, allow: () => boolean, role: string): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const entry = table.get(event);
    if (entry) {
      runCommand(socket, ctx, event, entry.schema, allow, (payload) => entry.handle(payload, socket.data), args);
      return;
    }
    const { ack } = splitArgs(args);
    const error: WireError = { code: ErrorCode.FORBIDDEN, message: `${role} connections may not send ${event}` };
    replyError(socket, String(event).slice(0, 64), error, ack);
  });
}

/** Refuses, without disconnecting, any event a role may not send. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own bound for event maps
export function refuseOthers<L extends Record<string, any>>(socket: CommandSocket<L>, allowed: readonly string[], role: string): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (allowed.includes(event)) return;
    const { ack } = splitArgs(args);
    const error: WireError = { code: ErrorCode.FORBIDDEN, message: `${role} connections may not send ${event}` };
    replyError(socket, String(event).slice(0, 64), error, ack);
  });
}
