import { CtiError, ErrorCode, wireError, type HandshakeAuth } from '@shuttle-cti/protocol';
import { io } from 'socket.io-client';
import type { ClientSocket } from './socket.js';
import type { ConnectOptions } from './types.js';

export interface ConnectionHooks {
  /** The handshake credentials, read again on every attempt so a reconnect resumes from the newest seq. */
  auth(): HandshakeAuth;
  /** Attaches the application listeners to a new socket. */
  bind(socket: ClientSocket): void;
  connected(socket: ClientSocket, url: string): void;
  disconnected(url: string, reason: string): void;
  reconnecting(info: { url: string; attempt: number; delay: number; error?: Error }): void;
  /** A refusal with a code that is worth retrying after. */
  error(error: CtiError): void;
  /** The hub refused the token: the connection stops for good. */
  fatal(error: CtiError): void;
}

type ConnectionOptions = Pick<ConnectOptions, 'reconnectDelay' | 'reconnectDelayMax' | 'retryOnAuthError' | 'socketOptions'>;

export interface Connection {
  close(): void;
}

function codedError(error: Error): CtiError | null {
  const data = (error as Error & { data?: unknown }).data;
  const parsed = wireError.safeParse(data);
  return parsed.success ? CtiError.fromWire(parsed.data) : null;
}

const isAuthRefusal = (code: string): boolean => code === ErrorCode.UNAUTHORIZED || code === ErrorCode.FORBIDDEN;

/**
 * Keeps one socket connected to one of `urls`. socket.io's own reconnection is off because
 * it can only retry the same URL: here each attempt is a fresh socket, so a failed attempt
 * fails over to the next URL, and the handshake `auth` is rebuilt with the newest `lastSeq`.
 */
export function createConnection(urls: readonly string[], options: ConnectionOptions, hooks: ConnectionHooks): Connection {
  const base = options.reconnectDelay ?? 500;
  const max = options.reconnectDelayMax ?? 5000;
  let index = 0;
  let failures = 0;
  let current: ClientSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const backoff = (step: number): number => {
    const delay = Math.min(max, base * 2 ** step);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  };

  const schedule = (error?: Error): void => {
    if (stopped) return;
    // Try every URL once without waiting, then back off before the next round.
    const delay = failures % urls.length !== 0 ? 0 : backoff(Math.floor(failures / urls.length));
    const url = urls[index] ?? '';
    hooks.reconnecting(error ? { url, attempt: failures + 1, delay, error } : { url, attempt: failures + 1, delay });
    timer = setTimeout(open, delay);
  };

  const drop = (socket: ClientSocket): void => {
    socket.removeAllListeners();
    socket.disconnect();
    if (current === socket) current = null;
  };

  function open(): void {
    timer = undefined;
    if (stopped) return;
    const url = urls[index] ?? '';
    const socket: ClientSocket = io(url, {
      ...options.socketOptions,
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      auth: (cb) => cb(hooks.auth()),
    });
    current = socket;
    socket.on('connect', () => {
      failures = 0;
      hooks.connected(socket, url);
    });
    socket.on('connect_error', (error) => {
      if (socket !== current) return;
      drop(socket);
      const coded = codedError(error);
      if (coded && isAuthRefusal(coded.code) && options.retryOnAuthError !== true) {
        stopped = true;
        hooks.fatal(coded);
        return;
      }
      if (coded) hooks.error(coded);
      failures += 1;
      index = (index + 1) % urls.length;
      schedule(coded ?? error);
    });
    socket.on('disconnect', (reason) => {
      if (socket !== current) return;
      drop(socket);
      hooks.disconnected(url, reason);
      schedule();
    });
    hooks.bind(socket);
    socket.connect();
  }

  open();

  return {
    close() {
      if (stopped && current === null) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const socket = current;
      if (!socket) return;
      if (socket.connected) {
        // Let the disconnect listener report it, then clean up.
        socket.disconnect();
      }
      if (current === socket) drop(socket);
    },
  };
}
