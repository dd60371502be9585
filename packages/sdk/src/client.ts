import {
  CallControlLimits,
  CtiError,
  ErrorCode,
  commandError,
  streamEventNames,
  type HandshakeAuth,
  type StreamEventName,
} from '@shuttle-cti/protocol';
import {
  buildNotification,
  buildPushevent,
  buildVariablesRequest,
  buildWakeup,
  readCommandAck,
  readVariablesAck,
} from './commands.js';
import { buildCallControl, readCallControlAck } from './call-control.js';
import { createConnection } from './connection.js';
import { createEmitter } from './emitter.js';
import { createRequests, type Outgoing } from './requests.js';
import type { ClientSocket } from './socket.js';
import type { ClientEventName, ClientEvents, CommandOptions, ConnectOptions, CtiClient } from './types.js';

const clientEventNames: ReadonlySet<string> = new Set<ClientEventName>([
  ...streamEventNames,
  'connect',
  'disconnect',
  'reconnecting',
  'error',
  'welcome',
  'replay_truncated',
  'handler_error',
]);

function checkUrls(url: string | readonly string[]): string[] {
  const urls = typeof url === 'string' ? [url] : [...url];
  if (urls.length === 0) throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'url: at least one hub URL is required', { field: 'url' });
  for (const u of urls) {
    let ok = false;
    try {
      ok = ['http:', 'https:', 'ws:', 'wss:'].includes(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new CtiError(ErrorCode.INVALID_PAYLOAD, `url: not an http(s) URL: ${u}`, { field: 'url' });
  }
  return urls;
}

const newId = (): string => globalThis.crypto.randomUUID();

/**
 * Connects an integration to a shuttle-cti hub (or to the first reachable of several, failing
 * over between them) and keeps it connected: after any disconnection it reconnects and the
 * hub replays every event after the last `seq` seen, so no event is lost or seen twice.
 *
 * Commands reject with a `CtiError`: `INVALID_PAYLOAD` (with `field`) before anything is sent
 * when an argument is bad, the hub's own error code when it refuses, `TIMEOUT` when it does
 * not answer in time, and `DISCONNECTED` when there is no connection (unless the command was
 * sent with `whenDisconnected: 'wait'`).
 *
 * @example
 * import { connect } from '@shuttle-cti/sdk';
 *
 * const cti = connect('http://localhost:8888', { token: process.env.SHUTTLE_CTI_TOKEN });
 * cti.on('up', async (call) => {
 *   if (call.queue === 'Sales') {
 *     await cti.wakeup(`https://crm.example/orders/${call.variables.ordernumber}`, call.peer, 'new_frame');
 *   }
 * });
 * cti.on('error', (error) => console.error(error.code, error.message));
 */
export function connect(url: string | readonly string[], options: ConnectOptions = {}): CtiClient {
  const urls = checkUrls(url);
  const timeout = options.timeout ?? 10_000;
  const whenDisconnected = options.whenDisconnected ?? 'reject';
  let lastSeq = options.lastSeq;
  let connected = false;
  let closed = false;

  const emitter = createEmitter<ClientEvents>((error, event, args) => {
    if (event !== 'handler_error' && emitter.count('handler_error') > 0) {
      emitter.emit('handler_error', error, { event, payload: args[0] });
      return;
    }
    const [payload] = args;
    const uniqueid = typeof payload === 'object' && payload !== null && 'uniqueid' in payload ? payload.uniqueid : undefined;
    const where = typeof uniqueid === 'string' ? ` (uniqueid ${uniqueid})` : '';
    console.error(`shuttle-cti: a handler of '${event}' failed${where}:`, error);
  });

  // Errors must never go unnoticed: without an 'error' handler they are printed.
  const reportError = (error: CtiError): void => {
    if (emitter.count('error') > 0) emitter.emit('error', error);
    else console.error(`shuttle-cti: ${error.code}: ${error.message}`);
  };

  let markReady: () => void = () => undefined;
  let failReady: (error: CtiError) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  // Whoever does not await `ready` must not get an unhandled rejection for it.
  ready.catch(() => undefined);

  const requests = createRequests();

  const deliver = (name: StreamEventName, payload: unknown): void => {
    if (typeof payload !== 'object' || payload === null) return;
    const seq = 'seq' in payload ? payload.seq : undefined;
    if (typeof seq === 'number') {
      // The hub replays after lastSeq; this guard keeps a handler from ever seeing an event twice.
      if (lastSeq !== undefined && seq <= lastSeq) return;
      lastSeq = seq;
    }
    (emitter.emit as (event: StreamEventName, payload: unknown) => void)(name, payload);
  };

  const bind = (socket: ClientSocket): void => {
    const on = socket.on.bind(socket) as (event: string, listener: (payload: unknown) => void) => void;
    for (const name of streamEventNames) on(name, (payload) => deliver(name, payload));
    socket.on('welcome', (welcome) => {
      // Resume from the moment of the first connection even if no event arrived before a drop.
      if (lastSeq === undefined && typeof welcome.lastSeq === 'number') lastSeq = welcome.lastSeq;
      emitter.emit('welcome', welcome);
    });
    socket.on('replay_truncated', (info) => emitter.emit('replay_truncated', info));
    socket.on('cti_error', (error) => {
      const parsed = commandError.safeParse(error);
      if (parsed.success) reportError(CtiError.fromWire(parsed.data));
    });
  };

  const connection = createConnection(urls, options, {
    auth: () => {
      const auth: HandshakeAuth = {};
      if (options.token !== undefined) auth.token = options.token;
      if (lastSeq !== undefined) auth.lastSeq = lastSeq;
      return auth;
    },
    bind,
    connected: (socket, at) => {
      connected = true;
      requests.attach(socket);
      markReady();
      emitter.emit('connect', { url: at });
    },
    disconnected: (at, reason) => {
      connected = false;
      requests.detach();
      emitter.emit('disconnect', { url: at, reason });
    },
    reconnecting: (info) => emitter.emit('reconnecting', info),
    error: reportError,
    fatal: (error) => {
      closed = true;
      requests.failAll(error);
      failReady(error);
      reportError(error);
    },
  });

  const send = async (outgoing: Outgoing, opts: CommandOptions | undefined): Promise<unknown> => {
    if (closed) throw new CtiError(ErrorCode.DISCONNECTED, `${outgoing.name}: the client is closed`);
    return requests.send(outgoing, {
      timeout: opts?.timeout ?? timeout,
      whenDisconnected: opts?.whenDisconnected ?? whenDisconnected,
    });
  };

  const checkEventName = (event: string): void => {
    if (!clientEventNames.has(event)) {
      throw new CtiError(ErrorCode.INVALID_PAYLOAD, `unknown event '${event}'`, { field: 'event' });
    }
  };

  const client: CtiClient = {
    on(event, handler) {
      checkEventName(event);
      emitter.on(event, handler);
      return client;
    },
    once(event, handler) {
      checkEventName(event);
      emitter.once(event, handler);
      return client;
    },
    off(event, handler) {
      emitter.off(event, handler);
      return client;
    },
    async wakeup(u, peer, mode, opts) {
      const payload = buildWakeup(u, peer, mode, opts?.id ?? newId());
      return readCommandAck(await send({ name: 'AgentCTI', payload }, opts), 'AgentCTI');
    },
    async notification(peer, type, title, body, opts) {
      const payload = buildNotification(peer, type, title, body, opts?.id ?? newId());
      return readCommandAck(await send({ name: 'AgentCTINotification', payload }, opts), 'AgentCTINotification');
    },
    async pushevent(appname, data, reference, u, opts) {
      const payload = buildPushevent(appname, data, reference, u, opts?.id ?? newId());
      return readCommandAck(await send({ name: 'RealtimeCTI', payload }, opts), 'RealtimeCTI');
    },
    async variables(uniqueid, opts) {
      const payload = buildVariablesRequest(uniqueid);
      return readVariablesAck(await send({ name: 'CustomVariables', payload }, opts));
    },
    async dial(peer, number, opts) {
      const payload = buildCallControl('CallDial', {
        peer,
        number,
        id: opts?.id ?? newId(),
        ...(opts?.variables ? { variables: opts.variables } : {}),
        ...(opts?.callerid === undefined ? {} : { callerid: opts.callerid }),
        ...(opts?.ringTimeout === undefined ? {} : { timeout: opts.ringTimeout }),
      });
      // The ack waits for the agent's phone to be answered: wait as long as it may ring.
      const ring = (opts?.ringTimeout ?? CallControlLimits.defaultTimeoutSeconds) * 1000 + 15_000;
      return readCallControlAck(await send({ name: 'CallDial', payload }, { ...opts, timeout: opts?.timeout ?? Math.max(timeout, ring) }), 'CallDial');
    },
    async hangup(uniqueid, opts) {
      const payload = buildCallControl('CallHangup', { uniqueid, id: opts?.id ?? newId() });
      return readCallControlAck(await send({ name: 'CallHangup', payload }, opts), 'CallHangup');
    },
    async transfer(uniqueid, to, mode, opts) {
      const payload = buildCallControl('CallTransfer', { uniqueid, to, mode, id: opts?.id ?? newId() });
      return readCallControlAck(await send({ name: 'CallTransfer', payload }, opts), 'CallTransfer');
    },
    async cancelTransfer(uniqueid, opts) {
      const payload = buildCallControl('CallTransfer', { uniqueid, mode: 'cancel', id: opts?.id ?? newId() });
      return readCallControlAck(await send({ name: 'CallTransfer', payload }, opts), 'CallTransfer');
    },
    async pause(peer, paused, opts) {
      const payload = buildCallControl('AgentPause', {
        peer,
        paused,
        id: opts?.id ?? newId(),
        ...(opts?.reason === undefined ? {} : { reason: opts.reason }),
        ...(opts?.queue === undefined ? {} : { queue: opts.queue }),
      });
      return readCallControlAck(await send({ name: 'AgentPause', payload }, opts), 'AgentPause');
    },
    async queue(peer, queue, member, opts) {
      const payload = buildCallControl('AgentQueue', {
        peer,
        queue,
        member,
        id: opts?.id ?? newId(),
        ...(opts?.name === undefined ? {} : { name: opts.name }),
        ...(opts?.penalty === undefined ? {} : { penalty: opts.penalty }),
      });
      return readCallControlAck(await send({ name: 'AgentQueue', payload }, opts), 'AgentQueue');
    },
    get lastSeq() {
      return lastSeq;
    },
    get connected() {
      return connected;
    },
    get closed() {
      return closed;
    },
    ready,
    close() {
      if (closed) {
        connection.close();
        return;
      }
      closed = true;
      const error = new CtiError(ErrorCode.DISCONNECTED, 'the client was closed');
      requests.failAll(error);
      failReady(error);
      connection.close();
    },
  };
  return client;
}
