/**
 * A bare socket.io client that moves to the next hub URL whenever its connection fails, and
 * resumes with `lastSeq` like any integration should. It records everything it receives,
 * duplicates included (unlike the SDK, it filters nothing), so a test sees exactly what the
 * hubs sent.
 */
import { io, type Socket } from 'socket.io-client';
import { until as poll } from '../../../../test-support/poll.js';

export interface Received {
  name: string;
  payload: Record<string, unknown>;
  /** Which hub sent it. */
  url: string;
}

export interface FailoverClient {
  readonly received: Received[];
  /** `seq` of every call event received, in arrival order. */
  seqs(): number[];
  /** Payloads of one event name. */
  of(name: string): Record<string, unknown>[];
  /** URL of the hub currently connected, or undefined. */
  connectedTo(): string | undefined;
  close(): void;
}

const callEvents = new Set(['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound']);

export function connectWithFailover(
  urls: readonly string[],
  namespace: '/' | '/agent' | '/supervisor',
  token: string,
  options: { resume?: boolean; ackCommands?: boolean } = {},
): FailoverClient {
  const received: Received[] = [];
  let lastSeq: number | undefined;
  let index = 0;
  let current: Socket | undefined;
  let connectedUrl: string | undefined;
  let closed = false;

  const open = (): void => {
    if (closed) return;
    const url = urls[index % urls.length] ?? '';
    const socket = io(url + (namespace === '/' ? '' : namespace), {
      auth: (cb) => cb(options.resume && lastSeq !== undefined ? { token, lastSeq } : { token }),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    current = socket;
    const failOver = (): void => {
      if (current !== socket) return;
      socket.removeAllListeners();
      socket.close();
      current = undefined;
      connectedUrl = undefined;
      index++;
      // A short pause between attempts, as any client back-off would have.
      if (!closed) setTimeout(open, 50);
    };
    socket.on('connect', () => {
      connectedUrl = url;
    });
    socket.on('connect_error', failOver);
    socket.on('disconnect', failOver);
    socket.onAny((name: string, payload: Record<string, unknown>) => {
      received.push({ name, payload, url });
      if (name === 'welcome' && lastSeq === undefined && typeof payload['lastSeq'] === 'number') lastSeq = payload['lastSeq'];
      if (callEvents.has(name) && typeof payload['seq'] === 'number') lastSeq = Math.max(lastSeq ?? 0, payload['seq']);
      if (options.ackCommands && (name === 'AgentCTI' || name === 'AgentCTINotification')) socket.emit('ack', { id: payload['id'] });
    });
  };
  open();

  return {
    received,
    seqs: () => received.filter((r) => callEvents.has(r.name)).map((r) => r.payload['seq'] as number),
    of: (name) => received.filter((r) => r.name === name).map((r) => r.payload),
    connectedTo: () => connectedUrl,
    close() {
      closed = true;
      current?.removeAllListeners();
      current?.close();
    },
  };
}

/**
 * A supervisor's current view of `peer`'s sessions: its snapshot, updated by every later
 * `agent` presence event (a presence change may come before the snapshot, then the
 * snapshot has it).
 */
export function sessionsIn(supervisor: FailoverClient, peer: string): number | undefined {
  let sessions: number | undefined;
  for (const { name, payload } of supervisor.received) {
    if (name === 'snapshot') {
      const agents = payload['agents'] as { peer: string; sessions: number }[];
      sessions = agents.find((a) => a.peer === peer)?.sessions ?? 0;
    } else if (name === 'agent' && payload['peer'] === peer) {
      sessions = payload['sessions'] as number;
    }
  }
  return sessions;
}

/** Polls `check` until it returns truthy, or fails after `ms` saying what it waited for (test-support/poll.ts). */
export function until<T>(check: () => T | Promise<T>, what: string, ms = 15_000): Promise<NonNullable<T>> {
  return poll(check, { what, ms, everyMs: 20 });
}
