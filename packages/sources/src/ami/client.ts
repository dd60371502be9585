import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { silentLogger, type SourceLogger } from '../sink.js';
import { backoffDelay } from './backoff.js';
import type { AmiEndpoint } from './endpoint.js';
import { amiField, createAmiParser, formatAmiMessage, type AmiActionFields, type AmiMessage, type AmiParser } from './parser.js';
import { createPendingActions, type AmiActionResult } from './pending-actions.js';

export type AmiClientState = 'idle' | 'connecting' | 'connected' | 'logged-in' | 'disconnected' | 'retrying' | 'stopped' | 'failed';

export interface AmiClientOptions extends AmiEndpoint {
  /** `md5` logs in with the Challenge flow, so the secret never crosses the network. */
  auth?: 'plain' | 'md5';
  logger?: SourceLogger;
  reconnect?: { initialMs?: number; maxMs?: number };
  /** Keep-alive: a Ping this often once logged in; no answer within actionTimeoutMs = hung connection. */
  pingIntervalMs?: number;
  /** How long an action (and the TCP connect plus banner) may take. */
  actionTimeoutMs?: number;
  /** Jitter source, for tests. */
  random?: () => number;
}

export interface AmiClientEvents {
  state: [state: AmiClientState];
  /** Every event Asterisk sends, list items of our own actions included, in stream order. */
  event: [message: AmiMessage];
  /** Logged in (again): time to resynchronise. */
  ready: [];
  /** The login was refused: the client has stopped for good. */
  error: [error: CtiError];
}

export interface AmiClient {
  readonly state: AmiClientState;
  /**
   * Connects and logs in. Resolves once logged in, or once a first attempt failed for
   * a reason worth retrying (the client goes on retrying in the background); rejects
   * with UNAUTHORIZED when Asterisk refuses the login, which is never retried.
   */
  start(): Promise<void>;
  /** Logs off and closes; no reconnect afterwards. */
  stop(): Promise<void>;
  /** Sends an action; resolves with its answer, rejects on `Response: Error`, timeout or disconnect. */
  action(fields: AmiActionFields): Promise<AmiActionResult>;
  on<E extends keyof AmiClientEvents>(event: E, listener: (...args: AmiClientEvents[E]) => void): this;
  off<E extends keyof AmiClientEvents>(event: E, listener: (...args: AmiClientEvents[E]) => void): this;
}

interface Connection {
  socket: Socket;
  parser: AmiParser;
  reason: string;
}

export function createAmiClient(options: AmiClientOptions): AmiClient {
  const logger = options.logger ?? silentLogger;
  const initialMs = options.reconnect?.initialMs ?? 1_000;
  const maxMs = options.reconnect?.maxMs ?? 30_000;
  const pingIntervalMs = options.pingIntervalMs ?? 20_000;
  const actionTimeoutMs = options.actionTimeoutMs ?? 10_000;
  const where = `${options.host}:${options.port}`;
  const who = { host: options.host, port: options.port, username: options.username };
  const emitter = new EventEmitter();
  const pending = createPendingActions();
  let state: AmiClientState = 'idle';
  let current: Connection | undefined;
  let attempt = 0;
  let nextId = 0;
  let stopping = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setTimeout> | undefined;
  let firstOutcome: { resolve(): void; reject(error: CtiError): void } | undefined;

  function setState(next: AmiClientState, log: () => void): void {
    if (state === next) return;
    state = next;
    log();
    emitter.emit('state', next);
  }

  function settleStart(error?: CtiError): void {
    const outcome = firstOutcome;
    firstOutcome = undefined;
    if (error) outcome?.reject(error);
    else outcome?.resolve();
  }

  function connect(): void {
    retryTimer = undefined;
    setState('connecting', () => logger.info(who, `AMI: connecting to ${where}`));
    const socket = tcpConnect({ host: options.host, port: options.port });
    const conn: Connection = { socket, parser: createAmiParser(), reason: 'connection closed by Asterisk' };
    current = conn;
    socket.setNoDelay(true);
    // The TCP connect and Asterisk's greeting line must come within the action timeout.
    const greeting = setTimeout(() => {
      conn.reason = `no AMI greeting within ${actionTimeoutMs} ms`;
      socket.destroy();
    }, actionTimeoutMs);
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = conn.parser.push(chunk);
      } catch (error) {
        conn.reason = error instanceof Error ? error.message : 'unreadable data';
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (current !== conn) return;
        if (frame.type === 'banner') {
          clearTimeout(greeting);
          greeted(conn, frame.text);
        } else {
          dispatch(frame.message);
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      conn.reason = error.code ?? error.message;
    });
    socket.on('close', () => {
      clearTimeout(greeting);
      closed(conn);
    });
  }

  function greeted(conn: Connection, banner: string): void {
    if (stopping) return;
    setState('connected', () => logger.info({ ...who, banner }, `AMI: connected to ${where} (${banner})`));
    login(conn).then(
      () => {
        if (current !== conn) return;
        attempt = 0;
        setState('logged-in', () => logger.info(who, `AMI: logged in as ${options.username}`));
        settleStart();
        schedulePing(conn);
        emitter.emit('ready');
      },
      (error: unknown) => {
        if (error instanceof CtiError && error.code === ErrorCode.UNAUTHORIZED) {
          refused(conn, error);
        } else if (current === conn) {
          conn.reason = `login failed: ${error instanceof Error ? error.message : String(error)}`;
          conn.socket.destroy();
        }
      },
    );
  }

  async function login(conn: Connection): Promise<void> {
    let fields: AmiActionFields = { Action: 'Login', Username: options.username, Secret: options.secret, Events: 'on' };
    if (options.auth === 'md5') {
      const challenge = await request(conn, { Action: 'Challenge', AuthType: 'MD5' });
      const value = amiField(challenge.response, 'Challenge');
      if (amiField(challenge.response, 'Response') !== 'Success' || value === undefined) {
        throw loginRefused(challenge.response, 'MD5 challenge refused');
      }
      const key = createHash('md5').update(value + options.secret).digest('hex');
      fields = { Action: 'Login', AuthType: 'MD5', Username: options.username, Key: key, Events: 'on' };
    }
    const answer = await request(conn, fields);
    if (amiField(answer.response, 'Response') !== 'Success') throw loginRefused(answer.response, 'Authentication failed');
  }

  function loginRefused(response: AmiMessage, fallback: string): CtiError {
    const message = amiField(response, 'Message') ?? fallback;
    return new CtiError(
      ErrorCode.UNAUTHORIZED,
      `Asterisk refused the AMI login of "${options.username}" at ${where}: ${message} (check the secret and permit/deny in manager.conf)`,
    );
  }

  function refused(conn: Connection, error: CtiError): void {
    clearTimeout(retryTimer);
    setState('failed', () => logger.error(who, `AMI: ${error.message}; not retrying`));
    conn.socket.destroy();
    settleStart(error);
    if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
  }

  function dispatch(message: AmiMessage): void {
    // OriginateResponse is an event with a `Response` header of its own.
    if (message['Response'] !== undefined && message['Event'] === undefined) {
      if (!pending.response(message)) logger.debug({ actionId: message['ActionID'] }, 'AMI: response to no pending action');
      return;
    }
    pending.event(message);
    emitter.emit('event', message);
  }

  function request(conn: Connection, fields: AmiActionFields, timeoutMs = actionTimeoutMs): Promise<AmiActionResult> {
    if (current !== conn || conn.socket.destroyed) {
      return Promise.reject(new CtiError(ErrorCode.DISCONNECTED, 'AMI: not connected'));
    }
    const id = `cti-${++nextId}`;
    const action = typeof fields['Action'] === 'string' ? fields['Action'] : 'action';
    const text = formatAmiMessage({ Action: fields['Action'], ActionID: id, ...fields });
    const answer = pending.add(id, action, timeoutMs);
    conn.socket.write(text);
    return answer;
  }

  function schedulePing(conn: Connection): void {
    pingTimer = setTimeout(() => {
      request(conn, { Action: 'Ping' }).then(
        () => {
          if (current === conn && state === 'logged-in') schedulePing(conn);
        },
        (error: unknown) => {
          if (current !== conn || !(error instanceof CtiError) || error.code !== ErrorCode.TIMEOUT) return;
          conn.reason = `no answer to Ping within ${actionTimeoutMs} ms (hung connection)`;
          conn.socket.destroy();
        },
      );
    }, pingIntervalMs);
  }

  function closed(conn: Connection): void {
    if (current !== conn) return;
    current = undefined;
    clearTimeout(pingTimer);
    pending.rejectAll(new CtiError(ErrorCode.DISCONNECTED, `AMI: ${conn.reason}`));
    if (stopping || state === 'failed') return;
    setState('disconnected', () => logger.warn({ ...who, reason: conn.reason }, `AMI: disconnected from ${where}: ${conn.reason}`));
    settleStart();
    const delay = backoffDelay(attempt++, { initialMs, maxMs }, options.random);
    setState('retrying', () => logger.info({ ...who, delayMs: delay }, `AMI: retrying in ${delay} ms`));
    retryTimer = setTimeout(connect, delay);
  }

  const client: AmiClient = {
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle' && state !== 'stopped' && state !== 'failed') return Promise.resolve();
      stopping = false;
      attempt = 0;
      const started = new Promise<void>((resolve, reject) => {
        firstOutcome = { resolve, reject };
      });
      connect();
      return started;
    },
    async stop() {
      if (state === 'idle' || state === 'stopped') return;
      stopping = true;
      clearTimeout(retryTimer);
      clearTimeout(pingTimer);
      const conn = current;
      if (conn && state === 'logged-in') {
        await request(conn, { Action: 'Logoff' }, Math.min(actionTimeoutMs, 2_000)).catch(() => undefined);
      }
      if (conn && !conn.socket.destroyed) {
        const gone = new Promise<void>((resolve) => conn.socket.once('close', () => resolve()));
        conn.socket.end();
        const force = setTimeout(() => conn.socket.destroy(), 1_000);
        await gone;
        clearTimeout(force);
      }
      settleStart(new CtiError(ErrorCode.DISCONNECTED, 'AMI: stopped before logging in'));
      setState('stopped', () => logger.info(who, 'AMI: stopped'));
    },
    action(fields) {
      if (!current) return Promise.reject(new CtiError(ErrorCode.DISCONNECTED, 'AMI: not connected'));
      return request(current, fields).then((result) => {
        if (amiField(result.response, 'Response') === 'Error') {
          const message = amiField(result.response, 'Message') ?? 'error';
          throw new CtiError(ErrorCode.UNAVAILABLE, `AMI ${String(fields['Action'])}: ${message}`, { cause: result.response });
        }
        return result;
      });
    },
    on(event, listener) {
      emitter.on(event, listener as (...args: unknown[]) => void);
      return client;
    },
    off(event, listener) {
      emitter.off(event, listener as (...args: unknown[]) => void);
      return client;
    },
  };
  return client;
}
