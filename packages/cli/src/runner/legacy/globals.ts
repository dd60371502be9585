import { callEventNames, isWireError, type NotificationType, type TransferMode, type WakeupMode } from '@shuttle-cti/protocol';
import type { CallControlResult, CommandResult, CtiClient } from '@shuttle-cti/sdk';
import { describeContext, handlerContext } from '../context.js';
import type { RunnerLog } from '../log.js';

type Ack = (result: unknown) => void;

export interface LegacyGlobals {
  wakeup: (url: unknown, peer: unknown, mode: unknown) => Promise<CommandResult | undefined>;
  notification: (peer: unknown, type: unknown, title: unknown, body: unknown) => Promise<CommandResult | undefined>;
  pushevent: (appname: unknown, data: unknown, reference: unknown, url?: unknown) => Promise<CommandResult | undefined>;
  /** `dial(peer, number)`: click-to-dial (protocol 1.2). */
  dial: (peer: unknown, number: unknown) => Promise<CallControlResult | undefined>;
  /** `hangup(uniqueid)`. */
  hangup: (uniqueid: unknown) => Promise<CallControlResult | undefined>;
  /** `transfer(uniqueid, to, mode)`; mode `blind` (default) or `attended`. */
  transfer: (uniqueid: unknown, to: unknown, mode?: unknown) => Promise<CallControlResult | undefined>;
  /** `pause(peer, paused, reason)`. */
  pause: (peer: unknown, paused: unknown, reason?: unknown) => Promise<CallControlResult | undefined>;
  socket: {
    emit(name: unknown, payload?: unknown, ack?: unknown): void;
    on(name: unknown, handler: unknown): void;
    readonly connected: boolean;
  };
}

const str = (v: unknown): string => v as string;
const field = (payload: unknown, key: string): unknown =>
  typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[key] : undefined;

/**
 * The functions the original service gave its scripts. Like the originals they are fire and
 * forget: a refused command is logged with the call it was for and never throws into the
 * script (which has no way to handle it); the returned promise resolves to the hub's answer,
 * or to undefined when the command failed.
 */
export function createLegacyGlobals(client: () => CtiClient, log: RunnerLog): LegacyGlobals {
  const settle = <R extends object>(what: string, work: () => Promise<R>, ack?: Ack): Promise<R | undefined> => {
    const ctx = handlerContext.getStore();
    let promise: Promise<R>;
    try {
      promise = work();
    } catch (error) {
      promise = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return promise.then(
      (result) => {
        ack?.({ ok: true, ...result });
        return result;
      },
      (error: unknown) => {
        if (ack) ack({ ok: false, error: isWireError(error) ? { code: error.code, message: error.message, ...fieldOf(error) } : { code: 'INTERNAL', message: String(error) } });
        else log.error(`${describeContext(ctx)}: ${what} failed`, error);
        return undefined;
      },
    );
  };

  const wakeup = (url: unknown, peer: unknown, mode: unknown, ack?: Ack) =>
    settle('wakeup', () => client().wakeup(str(url), str(peer), mode as WakeupMode), ack);
  const notification = (peer: unknown, type: unknown, title: unknown, body: unknown, ack?: Ack) =>
    settle('notification', () => client().notification(str(peer), type as NotificationType, str(title), str(body)), ack);
  const pushevent = (appname: unknown, data: unknown, reference: unknown, url?: unknown, ack?: Ack) => {
    // The original sets data.time on the caller's object; hub events already carry one.
    if (typeof data === 'object' && data !== null && (data as Record<string, unknown>)['time'] === undefined) {
      (data as Record<string, unknown>)['time'] = new Date().toISOString();
    }
    return settle(
      'pushevent',
      () => client().pushevent(str(appname), data as Record<string, unknown>, str(reference), url === undefined || url === null ? undefined : str(url)),
      ack,
    );
  };

  const dial = (peer: unknown, number: unknown, ack?: Ack) => settle('dial', () => client().dial(str(peer), str(number)), ack);
  const hangup = (uniqueid: unknown, ack?: Ack) => settle('hangup', () => client().hangup(str(uniqueid)), ack);
  const transfer = (uniqueid: unknown, to: unknown, mode?: unknown, ack?: Ack) =>
    settle('transfer', () => client().transfer(str(uniqueid), str(to), (mode ?? 'blind') as TransferMode), ack);
  const pause = (peer: unknown, paused: unknown, reason?: unknown, ack?: Ack) =>
    settle('pause', () => client().pause(str(peer), paused as boolean, reason === undefined || reason === null ? {} : { reason: str(reason) }), ack);

  const socket: LegacyGlobals['socket'] = {
    emit(name, payload, ack) {
      const callback = typeof ack === 'function' ? (ack as Ack) : undefined;
      switch (name) {
        case 'AgentCTI':
          void wakeup(field(payload, 'url'), field(payload, 'peer'), field(payload, 'mode'), callback);
          return;
        case 'AgentCTINotification':
          void notification(field(payload, 'peer'), field(payload, 'type'), field(payload, 'title'), field(payload, 'body'), callback);
          return;
        case 'RealtimeCTI':
          void pushevent(field(payload, 'type'), field(payload, 'channel'), field(payload, 'reference'), field(payload, 'url'), callback);
          return;
        case 'CallDial':
          void dial(field(payload, 'peer'), field(payload, 'number'), callback);
          return;
        case 'CallHangup':
          void hangup(field(payload, 'uniqueid'), callback);
          return;
        case 'CallTransfer':
          void transfer(field(payload, 'uniqueid'), field(payload, 'to'), field(payload, 'mode'), callback);
          return;
        case 'AgentPause':
          void pause(field(payload, 'peer'), field(payload, 'paused'), field(payload, 'reason'), callback);
          return;
        case 'CustomVariables': {
          const ctx = handlerContext.getStore();
          client()
            .variables(str(field(payload, 'uniqueid')))
            .then(
              (variables) => callback?.({ ok: true, variables }),
              (error: unknown) => {
                if (callback && isWireError(error)) callback({ ok: false, error: { code: error.code, message: error.message } });
                else log.error(`${describeContext(ctx)}: CustomVariables failed`, error);
              },
            );
          return;
        }
        default:
          log.warn(`socket.emit('${String(name)}'): not a command the hub accepts (AgentCTI, AgentCTINotification, RealtimeCTI, CustomVariables, CallDial, CallHangup, CallTransfer, AgentPause); ignored`);
      }
    },
    on(name, handler) {
      if (typeof handler !== 'function') return;
      const known = (callEventNames as readonly unknown[]).includes(name) || name === 'connect' || name === 'disconnect';
      if (!known) {
        log.warn(`socket.on('${String(name)}'): not an event the runner forwards; ignored`);
        return;
      }
      client().on(name as 'connect', handler as () => void);
    },
    get connected() {
      return client().connected;
    },
  };

  return {
    wakeup: (url, peer, mode) => wakeup(url, peer, mode),
    notification: (peer, type, title, body) => notification(peer, type, title, body),
    pushevent: (appname, data, reference, url) => pushevent(appname, data, reference, url),
    dial: (peer, number) => dial(peer, number),
    hangup: (uniqueid) => hangup(uniqueid),
    transfer: (uniqueid, to, mode) => transfer(uniqueid, to, mode),
    pause: (peer, paused, reason) => pause(peer, paused, reason),
    socket,
  };
}

function fieldOf(error: unknown): { field?: string } {
  const f = (error as { field?: unknown }).field;
  return typeof f === 'string' ? { field: f } : {};
}
