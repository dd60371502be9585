import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { amiField, createAmiParser, type AmiMessage } from '../../src/ami/parser.js';
import { createAmiServerSession, type AmiServerSession } from '../../src/ami/server-session.js';
import type { Transcript, TranscriptLine } from './transcripts.js';

/**
 * A fake Asterisk that speaks the real protocol and replays a recorded transcript.
 *
 * It greets, answers Login/Challenge/Ping/Logoff itself, and after login sends the
 * recorded server messages of the connection in order. Where the recording shows the
 * client asking `QueueStatus` or `CoreShowChannels`, it waits for the real client to
 * ask the same and sends the recorded answer under the client's ActionID; asked when
 * the recording does not show it, it answers with an empty list in the recorded shape
 * (as 08 shows for an idle PBX). Other recorded client actions (BlindTransfer, Logoff)
 * only drove the recording: they and their answers are skipped. The n-th accepted TCP
 * connection replays recorded connection n; when the recording has a later connection,
 * the current one is dropped where it ends, as in 07.
 */
export interface FakeAmiServerOptions {
  transcript?: Transcript;
  username?: string;
  secret?: string;
  /** `bytes` writes every byte on its own, so the client sees the stream split everywhere. */
  chunking?: 'message' | 'bytes';
  /** The recorded connection the first accepted one replays (a "restarted" Asterisk goes on with 2). */
  firstConn?: number;
  /** Replay no further than this connection, and do not drop it at its end. */
  lastConn?: number;
  port?: number;
  /** The replay waits for this after login (e.g. until an integration is listening). */
  gate?: Promise<void>;
  /** Actions answered `Permission denied`, as for a manager.conf user without the right. */
  refuse?: string[];
  /**
   * Leave a connection open at its end even when a later recorded connection follows:
   * the client goes away by itself (a hub killed with SIGKILL), and the next client to
   * connect gets the next recorded connection.
   */
  keepOpen?: boolean;
}

export interface FakeAmiServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly accepted: number;
  /** Every action received, with the number of the connection it came on. */
  readonly actions: Array<{ conn: number; action: AmiMessage }>;
  /** Resolves when the last replayed connection has sent all its recorded messages. */
  readonly replayed: Promise<void>;
  /** Resolves when the n-th connection is closed. */
  closedConnection(n: number): Promise<void>;
  /** The open connections stop answering (keep-alive test); new ones behave. */
  hang(): void;
  close(): Promise<void>;
}

const listActions = new Set(['QueueStatus', 'CoreShowChannels']);

/** The recorded shape of an empty list answer (08-resync-idle). */
function emptyList(action: string, id: string | undefined): string {
  const actionId = id === undefined ? '' : `ActionID: ${id}\r\n`;
  const [message, complete] =
    action === 'QueueStatus' ? ['Queue status will follow', 'QueueStatusComplete'] : ['Channels will follow', 'CoreShowChannelsComplete'];
  return (
    `Response: Success\r\n${actionId}EventList: start\r\nMessage: ${message}\r\n\r\n` +
    `Event: ${complete}\r\n${actionId}EventList: Complete\r\nListItems: 0\r\n\r\n`
  );
}

function header(raw: string, key: string): string | undefined {
  const [frame] = createAmiParser({ expectBanner: false }).push(raw);
  return frame?.type === 'message' ? amiField(frame.message, key) : undefined;
}

function withActionId(raw: string, id: string | undefined): string {
  return raw
    .split('\r\n')
    .filter((line) => id !== undefined || !line.startsWith('ActionID: '))
    .map((line) => (line.startsWith('ActionID: ') ? `ActionID: ${id}` : line))
    .join('\r\n');
}

function writeBytes(socket: Socket, text: string): void {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i++) socket.write(bytes.subarray(i, i + 1));
}

export async function startFakeAmiServer(options: FakeAmiServerOptions = {}): Promise<FakeAmiServer> {
  const lines = options.transcript?.lines ?? [];
  const login = lines.find((l) => l.dir === 'client' && header(l.raw, 'Action') === 'Login');
  const username = options.username ?? (login && header(login.raw, 'Username')) ?? 'cti';
  const secret = options.secret ?? (login && header(login.raw, 'Secret')) ?? 'ctisecret';
  const recordedConns = [...new Set(lines.map((l) => l.conn))];
  const firstConn = options.firstConn ?? 1;
  const lastConn = options.lastConn ?? Math.max(firstConn, ...recordedConns);
  const sessions = new Set<AmiServerSession>();
  const closed = new Map<number, Promise<void>>();
  const actions: Array<{ conn: number; action: AmiMessage }> = [];
  let accepted = 0;
  let markReplayed: () => void = () => undefined;
  const replayed = new Promise<void>((resolve) => {
    markReplayed = resolve;
  });
  if (lines.length === 0) markReplayed();

  function serve(socket: Socket): void {
    const conn = firstConn + accepted;
    const index = ++accepted;
    closed.set(index, once(socket, 'close').then(() => undefined));
    const recorded = lines.filter((l) => l.conn === conn);
    const clientIds = new Map<string, string>();
    for (const l of recorded) {
      if (l.dir !== 'client') continue;
      const id = header(l.raw, 'ActionID');
      if (id !== undefined) clientIds.set(id, header(l.raw, 'Action') ?? '');
    }
    const loginId = [...clientIds].find(([, action]) => action === 'Login')?.[0];
    // Recorded list actions still to be answered, and real ones that arrived for them.
    const expected = new Map<string, number>();
    for (const action of clientIds.values()) if (listActions.has(action)) expected.set(action, (expected.get(action) ?? 0) + 1);
    const arrived = new Map<string, AmiMessage[]>();
    const waiters = new Map<string, (action: AmiMessage) => void>();

    function nextAction(name: string): Promise<AmiMessage> {
      const queued = arrived.get(name)?.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => waiters.set(name, resolve));
    }

    async function walk(session: AmiServerSession): Promise<void> {
      await options.gate;
      const afterLogin = recorded.findIndex((l) => l.dir === 'server' && loginId !== undefined && header(l.raw, 'ActionID') === loginId);
      for (const line of recorded.slice(afterLogin + 1)) {
        if (socket.destroyed) return;
        if (line.dir === 'client') {
          await answerRecorded(session, line, recorded);
          continue;
        }
        const id = header(line.raw, 'ActionID');
        if (id === undefined || !clientIds.has(id)) session.send(line.raw);
      }
      if (conn >= lastConn) markReplayed();
      else if (!options.keepOpen) socket.destroy();
    }

    async function answerRecorded(session: AmiServerSession, line: TranscriptLine, all: TranscriptLine[]): Promise<void> {
      const action = header(line.raw, 'Action') ?? '';
      if (!listActions.has(action)) return;
      const recordedId = header(line.raw, 'ActionID');
      const real = await nextAction(action);
      expected.set(action, (expected.get(action) ?? 1) - 1);
      for (const answer of all) {
        if (answer.dir === 'server' && header(answer.raw, 'ActionID') === recordedId) {
          session.send(withActionId(answer.raw, amiField(real, 'ActionID')));
        }
      }
    }

    const session = createAmiServerSession(socket, {
      username,
      secret,
      ...(options.chunking === 'bytes' ? { write: writeBytes } : {}),
      onAnyAction: (action) => actions.push({ conn: index, action }),
      onLogin: (s) => {
        if (conn <= lastConn) void walk(s);
      },
      onAction: (action, s) => {
        const name = amiField(action, 'Action') ?? '';
        if (options.refuse?.includes(name)) {
          s.reply(action, { Response: 'Error', Message: 'Permission denied' });
          return true;
        }
        if (name === 'Getvar') {
          answerGetvar(action, s, conn);
          return true;
        }
        if (!listActions.has(name)) return false;
        if ((expected.get(name) ?? 0) > 0) {
          const waiter = waiters.get(name);
          waiters.delete(name);
          if (waiter) waiter(action);
          else arrived.set(name, [...(arrived.get(name) ?? []), action]);
        } else {
          s.send(emptyList(name, amiField(action, 'ActionID')));
        }
        return true;
      },
    });
    sessions.add(session);
    socket.on('close', () => sessions.delete(session));
  }

  /**
   * Getvar as Asterisk answers it: the recorded answer where the recording shows one for
   * that channel and variable; else the value of the last recorded VarSet of that channel
   * up to this connection ('' when never set); `No such channel` for a channel the
   * recording never showed.
   */
  function answerGetvar(action: AmiMessage, session: AmiServerSession, conn: number): void {
    const channel = amiField(action, 'Channel');
    const variable = amiField(action, 'Variable') ?? '';
    const asked = lines.find(
      (l) => l.conn === conn && l.dir === 'client' && header(l.raw, 'Action') === 'Getvar' && header(l.raw, 'Channel') === channel && header(l.raw, 'Variable') === variable,
    );
    const recordedId = asked && header(asked.raw, 'ActionID');
    const answer = recordedId === undefined ? undefined : lines.find((l) => l.dir === 'server' && l.conn === conn && header(l.raw, 'ActionID') === recordedId);
    if (answer) {
      session.send(withActionId(answer.raw, amiField(action, 'ActionID')));
      return;
    }
    const before = lines.filter((l) => l.dir === 'server' && l.conn <= conn && header(l.raw, 'Channel') === channel);
    if (before.length === 0) {
      session.reply(action, { Response: 'Error', Message: 'No such channel' });
      return;
    }
    const set = before.filter((l) => header(l.raw, 'Event') === 'VarSet' && header(l.raw, 'Variable') === variable).at(-1);
    session.reply(action, { Response: 'Success', Variable: variable, Value: (set && header(set.raw, 'Value')) ?? '' });
  }

  const server: Server = createServer(serve);
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    get accepted() {
      return accepted;
    },
    actions,
    replayed,
    closedConnection: (n) => closed.get(n) ?? Promise.reject(new Error(`no connection ${n}`)),
    hang() {
      for (const s of sessions) s.hang();
    },
    async close() {
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
