import {
  CtiError,
  ErrorCode,
  Limits,
  jsonByteLength,
  parseOrThrow,
  toCtiError,
  type WireError,
} from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { HubContext } from '../context.js';

type Ack = (result: unknown) => void;

/** Splits socket.io arguments into the payload and the optional ack callback. */
function splitArgs(args: unknown[]): { payload: unknown; ack: Ack | undefined } {
  const last = args[args.length - 1];
  if (typeof last === 'function') return { payload: args.length > 1 ? args[0] : undefined, ack: last as Ack };
  return { payload: args[0], ack: undefined };
}

/** Answers an error the way the client can hear it: its ack, or a `cti_error` event for older scripts. */
export function replyError(socket: Socket, command: string, error: WireError, ack: Ack | undefined): void {
  if (ack) ack({ ok: false, error });
  else socket.emit('cti_error', { ...error, command });
}

/** A token bucket per connection: `rate` per second, bursts of twice that. */
export function createRateLimiter(rate: number): () => boolean {
  const capacity = rate * 2;
  let tokens = capacity;
  let last = performance.now();
  return () => {
    const t = performance.now();
    tokens = Math.min(capacity, tokens + ((t - last) / 1000) * rate);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/**
 * Registers a command handler that validates before anything else and never lets a bad
 * command throw, disconnect the client or reach others.
 */
export function onCommand<S extends z.ZodType, R>(
  socket: Socket,
  ctx: HubContext,
  command: string,
  schema: S,
  allow: () => boolean,
  handle: (payload: z.infer<S>) => Promise<R>,
): void {
  socket.on(command, (...args: unknown[]) => runCommand(socket, ctx, command, schema, allow, handle, args));
}

/** Validates and carries out one command as received (its socket.io arguments); every failure is answered. */
function runCommand<S extends z.ZodType, R>(
  socket: Socket,
  ctx: HubContext,
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
  handle(payload: unknown, socket: Socket): Promise<unknown>;
}

/**
 * All of a socket's commands behind one listener, from a table built once per namespace:
 * what `onCommand` for each command and `refuseOthers` do, without a listener and its
 * closures per command on every socket (10,000 agents made that 60,000 listeners).
 */
export function dispatchCommands(socket: Socket, ctx: HubContext, table: ReadonlyMap<string, CommandEntry>, allow: () => boolean, role: string): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const entry = table.get(event);
    if (entry) {
      runCommand(socket, ctx, event, entry.schema, allow, (payload) => entry.handle(payload, socket), args);
      return;
    }
    const { ack } = splitArgs(args);
    const error: WireError = { code: ErrorCode.FORBIDDEN, message: `${role} connections may not send ${event}` };
    replyError(socket, String(event).slice(0, 64), error, ack);
  });
}

/** Refuses, without disconnecting, any event a role may not send. */
export function refuseOthers(socket: Socket, allowed: readonly string[], role: string): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (allowed.includes(event)) return;
    const { ack } = splitArgs(args);
    const error: WireError = { code: ErrorCode.FORBIDDEN, message: `${role} connections may not send ${event}` };
    replyError(socket, String(event).slice(0, 64), error, ack);
  });
}
