import {
  buildCallControl,
  buildNotification,
  buildPushevent,
  buildVariablesRequest,
  buildWakeup,
  type CallControlResult,
  type CommandResult,
  type CtiClient,
} from '@shuttle-cti/sdk';
import { handlerContext, type HandlerContext } from './context.js';

export type CommandName = 'AgentCTI' | 'AgentCTINotification' | 'RealtimeCTI' | 'CallDial' | 'CallHangup' | 'CallTransfer' | 'AgentPause' | 'AgentQueue';

export interface SentCommand {
  command: CommandName;
  payload: object;
  /** The event whose handler sent it. */
  context: HandlerContext | undefined;
}

export interface OfflineClient extends CtiClient {
  /** The next recorded event: its seq and the call's custom variables (for `variables()`). */
  observe(event: { seq?: unknown; uniqueid?: unknown; variables?: unknown }): void;
  /** Forgets a call that ended. */
  forget(uniqueid: string): void;
  /** Commands refused by validation (they would have been refused by the hub too). */
  readonly refused: number;
}

/**
 * A client with no hub behind it, for `replay`: commands are validated exactly as the SDK
 * validates them before sending, then handed to `sent` instead of a socket.
 */
export function createOfflineClient(sent: (command: SentCommand) => void): OfflineClient {
  let lastSeq: number | undefined;
  let refused = 0;
  let count = 0;
  let closed = false;
  const variables = new Map<string, Record<string, string>>();

  const record = async (command: CommandName, build: () => object): Promise<CommandResult> => {
    let payload: object;
    try {
      payload = build();
    } catch (error) {
      refused += 1;
      throw error;
    }
    count += 1;
    sent({ command, payload, context: handlerContext.getStore() });
    return { id: `replay-${count}`, delivered: 0, queued: 0 };
  };

  /** Call control in a replay: printed like the other commands; a dial gets a made-up uniqueid. */
  const control = async (command: Exclude<CommandName, 'AgentCTI' | 'AgentCTINotification' | 'RealtimeCTI'>, payload: unknown): Promise<CallControlResult> => {
    const result = await record(command, () => buildCallControl(command, payload));
    return command === 'CallDial' ? { id: result.id, uniqueid: result.id } : { id: result.id };
  };

  const client: OfflineClient = {
    // No connection, so no connection events: listeners are accepted and never called.
    on: () => client,
    once: () => client,
    off: () => client,
    wakeup: (url, peer, mode) => record('AgentCTI', () => buildWakeup(url, peer, mode)),
    notification: (peer, type, title, body) => record('AgentCTINotification', () => buildNotification(peer, type, title, body)),
    pushevent: (appname, data, reference, url) => record('RealtimeCTI', () => buildPushevent(appname, data, reference, url)),
    dial: (peer, number, o) =>
      control('CallDial', {
        peer,
        number,
        ...(o?.variables ? { variables: o.variables } : {}),
        ...(o?.callerid === undefined ? {} : { callerid: o.callerid }),
        ...(o?.ringTimeout === undefined ? {} : { timeout: o.ringTimeout }),
      }),
    hangup: (uniqueid) => control('CallHangup', { uniqueid }),
    transfer: (uniqueid, to, mode) => control('CallTransfer', { uniqueid, to, mode }),
    cancelTransfer: (uniqueid) => control('CallTransfer', { uniqueid, mode: 'cancel' }),
    pause: (peer, paused, o) =>
      control('AgentPause', { peer, paused, ...(o?.reason === undefined ? {} : { reason: o.reason }), ...(o?.queue === undefined ? {} : { queue: o.queue }) }),
    queue: (peer, queue, member, o) =>
      control('AgentQueue', { peer, queue, member, ...(o?.name === undefined ? {} : { name: o.name }), ...(o?.penalty === undefined ? {} : { penalty: o.penalty }) }),
    async variables(uniqueid) {
      buildVariablesRequest(uniqueid);
      return { ...(variables.get(uniqueid) ?? {}) };
    },
    get lastSeq() {
      return lastSeq;
    },
    get connected() {
      return !closed;
    },
    get closed() {
      return closed;
    },
    ready: Promise.resolve(),
    close() {
      closed = true;
    },
    observe(event) {
      if (typeof event.seq === 'number') lastSeq = event.seq;
      if (typeof event.uniqueid === 'string' && typeof event.variables === 'object' && event.variables !== null) {
        variables.set(event.uniqueid, { ...(variables.get(event.uniqueid) ?? {}), ...(event.variables as Record<string, string>) });
      }
    },
    forget(uniqueid) {
      variables.delete(uniqueid);
    },
    get refused() {
      return refused;
    },
  };
  return client;
}
