import { CtiError, ErrorCode, isCallEventName, type CallEventName } from '@shuttle-cti/protocol';
import type { ClientEvents, CtiClient } from '@shuttle-cti/sdk';
import { handlerContext, tagError } from './context.js';

export interface HandlerEntry {
  event: CallEventName;
  handler: (payload: unknown) => unknown;
  once: boolean;
}

export interface Scope {
  /** What the integration sees: the client, with call-event handlers kept by the runner. */
  readonly client: CtiClient;
  /** Call-event handlers, in the order they were added. */
  readonly entries: HandlerEntry[];
  /** Removes everything the integration registered (before a reload replaces it). */
  dispose(): void;
}

/**
 * The client handed to one loaded integration. Call-event handlers stay with the runner, which
 * runs them isolated and with a timeout; other listeners go to the real client and are
 * removed on reload. A command's error carries the event it was sent for, so an unawaited
 * failure can still be logged with its uniqueid.
 */
export function createScope(base: CtiClient, stop: () => void): Scope {
  const entries: HandlerEntry[] = [];
  const forwarded: [keyof ClientEvents, ClientEvents[keyof ClientEvents]][] = [];
  // The event name and its handler were checked together by the caller's types.
  const loose = base as unknown as Record<'on' | 'once' | 'off', (event: string, handler: unknown) => void>;

  const tagged = <T>(work: () => Promise<T>): Promise<T> => {
    const ctx = handlerContext.getStore();
    return work().catch((error: unknown) => {
      tagError(error, ctx);
      throw error;
    });
  };

  const add = (event: keyof ClientEvents, handler: ClientEvents[keyof ClientEvents], once: boolean): void => {
    if (isCallEventName(event)) {
      entries.push({ event, handler: handler as (payload: unknown) => unknown, once });
      return;
    }
    if (once) loose.once(event, handler);
    else loose.on(event, handler);
    forwarded.push([event, handler]);
  };

  const client: CtiClient = {
    on(event, handler) {
      checkName(event);
      add(event, handler, false);
      return client;
    },
    once(event, handler) {
      checkName(event);
      add(event, handler, true);
      return client;
    },
    off(event, handler) {
      if (isCallEventName(event)) {
        const index = entries.findIndex((e) => e.event === event && e.handler === handler);
        if (index >= 0) entries.splice(index, 1);
      } else base.off(event, handler);
      return client;
    },
    wakeup: (...args) => tagged(() => base.wakeup(...args)),
    notification: (...args) => tagged(() => base.notification(...args)),
    pushevent: (...args) => tagged(() => base.pushevent(...args)),
    variables: (...args) => tagged(() => base.variables(...args)),
    dial: (...args) => tagged(() => base.dial(...args)),
    hangup: (...args) => tagged(() => base.hangup(...args)),
    transfer: (...args) => tagged(() => base.transfer(...args)),
    cancelTransfer: (...args) => tagged(() => base.cancelTransfer(...args)),
    pause: (...args) => tagged(() => base.pause(...args)),
    queue: (...args) => tagged(() => base.queue(...args)),
    get lastSeq() {
      return base.lastSeq;
    },
    get connected() {
      return base.connected;
    },
    get closed() {
      return base.closed;
    },
    get ready() {
      return base.ready;
    },
    // An integration that closes its client stops the runner.
    close: stop,
  };

  return {
    client,
    entries,
    dispose() {
      entries.length = 0;
      for (const [event, handler] of forwarded.splice(0)) loose.off(event, handler);
    },
  };
}

function checkName(event: string): void {
  const known = isCallEventName(event) || ['agentstate', 'connect', 'disconnect', 'reconnecting', 'error', 'welcome', 'replay_truncated', 'handler_error'].includes(event);
  if (!known) throw new CtiError(ErrorCode.INVALID_PAYLOAD, `unknown event '${event}'`, { field: 'event' });
}
