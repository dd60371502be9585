import type {
  AgentStateEvent,
  CallEventMap,
  CommandAck,
  CtiError,
  NotificationType,
  ReplayTruncated,
  TransferMode,
  WakeupMode,
  Welcome,
} from '@shuttle-cti/protocol';
import type { ManagerOptions, SocketOptions } from 'socket.io-client';

/**
 * What to do with a command sent while the client is not connected:
 * - `'reject'` (default): fail at once with `CtiError` code `DISCONNECTED`, so a screen pop
 *   is never shown minutes late;
 * - `'wait'`: keep it and send it when the connection is back (within `timeout`). A command
 *   in flight when the connection drops is sent again with the same `id`, which the hub
 *   carries out once.
 */
export type WhenDisconnected = 'reject' | 'wait';

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Token of role `integration` (`shuttle-cti token create --role integration`). */
  token?: string;
  /** Resume after this `seq` (e.g. one saved by a previous run); default: from now. */
  lastSeq?: number;
  /** Milliseconds to wait for the hub's answer to a command; default 10 000. */
  timeout?: number;
  /** Default for every command; see {@link WhenDisconnected}. Default `'reject'`. */
  whenDisconnected?: WhenDisconnected;
  /** First delay before reconnecting, in milliseconds; doubles up to `reconnectDelayMax`. Default 500. */
  reconnectDelay?: number;
  /** Longest delay between reconnection attempts, in milliseconds. Default 10 000. */
  reconnectDelayMax?: number;
  /**
   * Keep retrying after the hub refused the token (`UNAUTHORIZED`/`FORBIDDEN`).
   * Default false: the client emits `error` and closes, because a bad token does not mend itself.
   */
  retryOnAuthError?: boolean;
  /**
   * Extra socket.io-client options (e.g. `transports`, `extraHeaders`, `ca` for a hub with a
   * private certificate). Reconnection and `auth` are managed by the SDK and cannot be overridden.
   */
  socketOptions?: Partial<Omit<ManagerOptions & SocketOptions, 'auth' | 'reconnection' | 'autoConnect'>>;
}

/** Per-command options. */
export interface CommandOptions {
  /** Your id for the command; the hub carries out the same id once. Default: a random UUID. */
  id?: string;
  /** Overrides {@link ConnectOptions.timeout} for this command. */
  timeout?: number;
  /** Overrides {@link ConnectOptions.whenDisconnected} for this command. */
  whenDisconnected?: WhenDisconnected;
}

/** `dial`'s options beyond {@link CommandOptions}. */
export interface DialOptions {
  /** Channel variables of the call (they become its custom variables when configured). */
  variables?: Record<string, string>;
  /**
   * Caller ID of the call, e.g. `"Order 42" <1000>`: shown on the agent's phone, passed on to
   * the called party by most trunks. Default: the agent's name and number as the hub knows
   * them (`"Andrea Bianco" <1000>`), none when it knows no name.
   */
  callerid?: string;
  /** Seconds the agent's phone may ring (default 30). */
  ringTimeout?: number;
}

/** What a call-control command resolves with: its id, and for `dial` the call's uniqueid. */
export interface CallControlResult {
  id: string;
  /** `dial` only: the uniqueid that the call's events (`outbound`, ...) carry. */
  uniqueid?: string;
}

/** The hub's answer to an accepted command. */
export type CommandResult = Omit<Extract<CommandAck, { ok: true }>, 'ok'>;

/** Handlers of the call events, by name: the payload type narrows by event name. */
export type CallEventHandlers = { [K in keyof CallEventMap]: (event: CallEventMap[K]) => unknown };

/** Every event a client emits, with the handler it takes. */
export interface ClientEvents extends CallEventHandlers {
  /** A queue member's state changed (protocol 1.2): one event per queue. */
  agentstate: (event: AgentStateEvent) => unknown;
  /** Connected (first time or again) to the hub at `url`. */
  connect: (info: { url: string }) => unknown;
  /** The connection was lost (or closed); the client reconnects unless it was closed. */
  disconnect: (info: { url: string; reason: string }) => unknown;
  /** A connection attempt failed or the connection dropped; the next attempt starts after `delay` ms. */
  reconnecting: (info: { url: string; attempt: number; delay: number; error?: Error }) => unknown;
  /** An error with a `code`: a refused token (`UNAUTHORIZED`, `FORBIDDEN`; the client then closes) or one the hub reported. */
  error: (error: CtiError) => unknown;
  /** The hub's first message on every connection. */
  welcome: (welcome: Welcome) => unknown;
  /** Events `from`..`to` were older than the hub's retention and could not be replayed. */
  replay_truncated: (info: ReplayTruncated) => unknown;
  /** One of your handlers threw or its promise rejected; the other handlers ran anyway. */
  handler_error: (error: unknown, context: { event: string; payload: unknown }) => unknown;
}

export type ClientEventName = keyof ClientEvents;

/** The integration client returned by {@link connect}. */
export interface CtiClient {
  /**
   * Adds a handler; handlers of one event run in the order they were added. A handler that
   * throws or rejects is reported on `handler_error` and does not stop the others.
   *
   * @example
   * cti.on('up', (call) => console.log(call.peer, 'answered', call.callernum));
   */
  on<E extends ClientEventName>(event: E, handler: ClientEvents[E]): CtiClient;
  /**
   * Adds a handler that runs for the next such event only.
   *
   * @example
   * cti.once('welcome', (w) => console.log('connected as', w.name));
   */
  once<E extends ClientEventName>(event: E, handler: ClientEvents[E]): CtiClient;
  /**
   * Removes a handler added with `on` or `once`.
   *
   * @example
   * const onUp = (call: UpEvent) => console.log(call.uniqueid);
   * cti.on('up', onUp);
   * cti.off('up', onUp);
   */
  off<E extends ClientEventName>(event: E, handler: ClientEvents[E]): CtiClient;
  /**
   * `AgentCTI`: the agent(s) of `peer` open `url` (absolute http/https) in a new tab, window or the panel's frame.
   *
   * @example
   * const { delivered, queued } = await cti.wakeup('https://crm.example/search?phone=1003', 'SIP/andrea.bianco', 'new_tab');
   */
  wakeup(url: string, peer: string, mode: WakeupMode, options?: CommandOptions): Promise<CommandResult>;
  /**
   * `AgentCTINotification`: the agent(s) of `peer` are shown a notification.
   *
   * @example
   * await cti.notification(call.peer, 'info', 'Incoming call', `Caller ${call.callernum} on ${call.queue}`);
   */
  notification(
    peer: string,
    type: NotificationType,
    title: string,
    body: string,
    options?: CommandOptions,
  ): Promise<CommandResult>;
  /**
   * `RealtimeCTI`: a row in the supervisors' Integration Realtime view; sets `time` on (a copy
   * of) `data` if missing, like the original `pushevent`.
   *
   * @example
   * await cti.pushevent('SalesCRM', call, `ticket-${call.uniqueid}`, `https://crm.example/tickets/${call.uniqueid}`);
   */
  pushevent(
    appname: string,
    data: Record<string, unknown>,
    reference: string,
    url?: string,
    options?: CommandOptions,
  ): Promise<CommandResult>;
  /**
   * `CustomVariables`: the custom variables the hub knows for the call `uniqueid` (`{}` if none).
   *
   * @example
   * const { ordernumber } = await cti.variables(call.uniqueid);
   */
  variables(uniqueid: string, options?: Omit<CommandOptions, 'id'>): Promise<Record<string, string>>;
  /**
   * `CallDial`: `peer`'s phone rings; once it answers, `number` is dialled. Resolves when the
   * agent answered, with the `uniqueid` the call's events will carry; `TIMEOUT` when the
   * phone was not answered within `timeout` seconds (default 30), `PBX_ERROR` with the PBX's text.
   *
   * @example
   * const { uniqueid } = await cti.dial('SIP/andrea.bianco', '+390298765432', { variables: { customerid: 'C-1' } });
   */
  dial(peer: string, number: string, options?: CommandOptions & DialOptions): Promise<CallControlResult>;
  /**
   * `CallHangup`: hangs up the call.
   *
   * @example
   * cti.on('up', async (call) => { if (call.callernum === '0000') await cti.hangup(call.uniqueid); });
   */
  hangup(uniqueid: string, options?: CommandOptions): Promise<CallControlResult>;
  /**
   * `CallTransfer`: `blind` sends the caller to `to`; `attended` lets the agent talk to `to` first.
   *
   * @example
   * await cti.transfer(call.uniqueid, '7000', 'blind');
   */
  transfer(uniqueid: string, to: string, mode: TransferMode, options?: CommandOptions): Promise<CallControlResult>;
  /**
   * `CallTransfer` with `mode: 'cancel'`: ends an attended transfer's consultation, the agent
   * is back with the caller (Asterisk: `CancelAtxfer`). Resolves once the PBX queued it; the
   * call goes on, and its `hangup` says `reason: "transfer"` only if a transfer completed.
   *
   * @example
   * await cti.transfer(call.uniqueid, '7000', 'attended');
   * // 7000 is not the right person after all:
   * await cti.cancelTransfer(call.uniqueid);
   */
  cancelTransfer(uniqueid: string, options?: CommandOptions): Promise<CallControlResult>;
  /**
   * `AgentPause`: pauses (with a reason) or unpauses `peer`, in every queue or in `queue`.
   *
   * @example
   * await cti.pause('SIP/andrea.bianco', true, { reason: 'Lunch' });
   */
  pause(peer: string, paused: boolean, options?: CommandOptions & { reason?: string; queue?: string }): Promise<CallControlResult>;
  /**
   * `AgentQueue`: `peer` joins (`member: true`) or leaves `queue`.
   *
   * @example
   * await cti.queue('SIP/luca.neri', 'Sales', true, { name: 'Luca Neri', penalty: 0 });
   */
  queue(peer: string, queue: string, member: boolean, options?: CommandOptions & { name?: string; penalty?: number }): Promise<CallControlResult>;
  /** The newest `seq` seen; the client resumes after it when it reconnects. */
  readonly lastSeq: number | undefined;
  /** True while connected to a hub. */
  readonly connected: boolean;
  /** True once `close()` was called or the hub refused the token for good. */
  readonly closed: boolean;
  /** Resolves on the first connection; rejects with the `CtiError` if the client closes first. */
  readonly ready: Promise<void>;
  /**
   * Disconnects and stops reconnecting; commands still waiting reject with `DISCONNECTED`.
   *
   * @example
   * process.on('SIGTERM', () => cti.close());
   */
  close(): void;
}
