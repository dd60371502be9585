import type { AgentClientToServer, AgentServerToClient, SupervisorClientToServer, SupervisorServerToClient } from '@shuttle-cti/protocol';
import { io, type Socket } from 'socket.io-client';
import type { HubList } from './hubs.js';

/** The pages' sockets, typed with the protocol's event maps reversed (client side). */
export type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;
export type SupervisorSocket = Socket<SupervisorServerToClient, SupervisorClientToServer>;
interface PageSockets {
  '/agent': AgentSocket;
  '/supervisor': SupervisorSocket;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

export interface StateChange {
  state: ConnectionState;
  /** Why, for the user: "Token refused", "Hub unreachable", ... */
  detail?: string;
}

interface RejectionData {
  code?: unknown;
  message?: unknown;
}

/**
 * Opens a socket.io connection to a namespace of the hub (same origin) and reports a
 * simple state for the badge. socket.io reconnects by itself after a network failure,
 * but not after the hub closed the connection (`io server disconnect`, e.g. a restart
 * or a graceful shutdown) nor after its middleware refused the handshake: those are
 * retried here with a back-off, except a refused token, which signs the page out.
 */
export function openConnection<N extends keyof PageSockets>(
  namespace: N,
  token: string,
  onState: (change: StateChange) => void,
  hubs?: HubList,
): PageSockets[N] {
  const socket: Socket = io(`${hubs?.current() ?? ''}${namespace}`, {
    auth: { token },
    forceNew: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // Several hubs: the next attempt goes to the next one. socket.io's Manager opens each
  // new transport on its `uri`, so moving it keeps this Socket and every handler on it.
  const failOver = (): void => {
    if (!hubs || hubs.size < 2) return;
    const next = hubs.next();
    (socket.io as unknown as { uri: string }).uri = next === '' ? location.origin : next;
  };

  const retryLater = (): void => {
    if (stopped || retryTimer !== undefined) return;
    const delay = Math.min(5000, 500 * 2 ** retries) * (0.75 + Math.random() * 0.5);
    retries += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!stopped && !socket.connected) socket.connect();
    }, delay);
  };

  onState({ state: 'connecting' });
  socket.on('connect', () => {
    retries = 0;
    onState({ state: 'connected' });
  });
  socket.on('connect_error', (error: Error & { data?: RejectionData }) => {
    const code = error.data?.code;
    if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
      stopped = true;
      socket.disconnect();
      const message = typeof error.data?.message === 'string' ? error.data.message : '';
      const detail = code === 'FORBIDDEN' ? 'This token is not allowed here' : 'The hub refused this token';
      onState({ state: 'signed-out', detail: message === '' ? detail : `${detail}: ${message}` });
      return;
    }
    onState({ state: 'reconnecting', detail: 'Hub unreachable, retrying…' });
    failOver();
    if (!socket.active) retryLater();
  });
  socket.on('disconnect', (reason) => {
    if (stopped || reason === 'io client disconnect') return;
    onState({ state: 'reconnecting', detail: 'Connection lost, reconnecting…' });
    failOver();
    if (!socket.active) retryLater();
  });
  // The namespace decides the maps (socket.io's `io()` cannot know them from the URL).
  return socket;
}

