import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { amiField, amiFieldAll, createAmiParser, type AmiMessage } from '../../src/ami/parser.js';
import { createAmiServerSession, type AmiServerSession } from '../../src/ami/server-session.js';
import type { TranscriptLine } from './transcripts.js';

/** The recordings of call-control actions (fixtures/asterisk-ami-actions). */
export const actionFixturesDir = fileURLToPath(new URL('../../../../fixtures/asterisk-ami-actions/', import.meta.url));

export function actionTranscriptNames(): string[] {
  return readdirSync(actionFixturesDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}

export function loadActionTranscript(name: string): TranscriptLine[] {
  return readFileSync(`${actionFixturesDir}/${name}.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TranscriptLine);
}

/**
 * A recorded connection replayed from one of its actions on: the greeting and login, then
 * the recording from the first client action `from` accepts. The actions before it and what
 * the PBX said about them are left out (c7's rows are independent of each other).
 */
export function startingAt(lines: TranscriptLine[], from: (action: AmiMessage) => boolean): TranscriptLine[] {
  const firstAction = lines.findIndex((l) => l.dir === 'client' && amiField(parse(l.raw), 'Action') !== 'Login');
  const start = lines.findIndex((l) => l.dir === 'client' && from(parse(l.raw)));
  if (start < 0) throw new Error('no such action in the recording');
  return [...lines.slice(0, firstAction), ...lines.slice(start)];
}

function parse(raw: string): AmiMessage {
  const [frame] = createAmiParser({ expectBanner: false }).push(raw.endsWith('\r\n\r\n') ? raw : `${raw}\r\n`);
  return frame?.type === 'message' ? frame.message : {};
}

/** Headers the hub chooses itself or may add, not compared with the recording. */
const free = new Set(['ActionID', 'ChannelId', 'OtherChannelId', 'Timeout']);

/**
 * Originate headers the recording's client chose that the hub may leave out: the caller ID
 * and the channel variables only label the call, Asterisk's answer and the call's progress
 * do not depend on them. Sent, they must be the recorded ones.
 */
const optional = new Set(['CallerID', 'Variable']);

/** What differs between a real action and the recorded one; '' when it is the same action. */
export function actionDifference(real: AmiMessage, recorded: AmiMessage, refused = false): string {
  const keys = new Set([...Object.keys(real), ...Object.keys(recorded)]);
  for (const key of keys) {
    // The hub chooses these, or may leave them out; a Timeout the recording has must match.
    if (free.has(key) && !(key === 'Timeout' && key in recorded)) continue;
    const a = amiFieldAll(real, key);
    const b = amiFieldAll(recorded, key);
    if (optional.has(key) && amiField(recorded, 'Action') === 'Originate' && a.every((v) => b.includes(v))) continue;
    // A pause the PBX refused paused nothing: its reason cannot have mattered (c7's QueuePause).
    if (key === 'Reason' && refused && amiField(recorded, 'Action') === 'QueuePause' && a.length === 0) continue;
    if (a.join('\u0001') !== b.join('\u0001')) return `${key}: sent ${JSON.stringify(a.join('\u0001'))}, recorded ${JSON.stringify(b.join('\u0001'))}`;
  }
  return '';
}

/**
 * The recorded `Variable`s (`name=value`) a real Originate left out. The replay then shows
 * them unset, as Asterisk does for a `channelvars` variable nobody set: `ChanVariable:
 * name=` and no `VarSet` of it.
 */
export function omittedVariables(real: AmiMessage, recorded: AmiMessage): Array<{ name: string; value: string }> {
  const sent = amiFieldAll(real, 'Variable');
  return amiFieldAll(recorded, 'Variable')
    .filter((v) => !sent.includes(v))
    .map((v) => ({ name: v.slice(0, v.indexOf('=')), value: v.slice(v.indexOf('=') + 1) }));
}

export interface ActionAmiServerOptions {
  lines: TranscriptLine[];
  /** Recorded actions that only drove the recording: not awaited, their recorded answers are sent as they come. */
  skip?: readonly string[];
  /** The replay waits for this after login (e.g. until a page is listening). */
  gate?: Promise<void>;
}

export interface ActionAmiServer {
  readonly port: number;
  /** Every action received after login, in order, with the raw bytes of its message. */
  readonly actions: AmiMessage[];
  /** Every byte received on every connection. */
  readonly received: () => string;
  /** Real actions that did not match the recorded one (each answered with an error). */
  readonly mismatches: string[];
  /** Resolves once every recorded line has been played. */
  readonly replayed: Promise<void>;
  close(): Promise<void>;
}

const listActions = new Set(['QueueStatus', 'CoreShowChannels']);

function emptyList(action: string, id: string | undefined): string {
  const actionId = id === undefined ? '' : `ActionID: ${id}\r\n`;
  const [message, complete] =
    action === 'QueueStatus' ? ['Queue status will follow', 'QueueStatusComplete'] : ['Channels will follow', 'CoreShowChannelsComplete'];
  return `Response: Success\r\n${actionId}EventList: start\r\nMessage: ${message}\r\n\r\nEvent: ${complete}\r\n${actionId}EventList: Complete\r\nListItems: 0\r\n\r\n`;
}

/**
 * A fake Asterisk that answers actions the way the recordings show. It plays a recorded
 * connection's server lines in order; at each recorded client action it waits for the
 * real client to send the same action (same headers, except the ones the hub chooses),
 * then goes on with the recorded answer under the real ActionID, and the recorded
 * `ChannelId` replaced by the real one wherever it appears (Uniqueid, Linkedid, ...).
 * An action that differs from the recording is answered `Response: Error` and noted in
 * `mismatches`; list actions the recording does not show get an empty list. The n-th TCP
 * connection plays recorded connection n; a connection with a later one is dropped at its end.
 */
export async function startActionAmiServer(options: ActionAmiServerOptions): Promise<ActionAmiServer> {
  const { lines } = options;
  const skip = new Set(options.skip ?? ['QueueSummary']);
  const conns = [...new Set(lines.map((l) => l.conn))].sort((a, b) => a - b);
  const lastConn = conns[conns.length - 1] ?? 1;
  const actions: AmiMessage[] = [];
  const mismatches: string[] = [];
  const bytes: string[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let markReplayed: () => void = () => undefined;
  const replayed = new Promise<void>((resolve) => {
    markReplayed = resolve;
  });

  function serve(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => bytes.push(chunk.toString('latin1')));
    const conn = conns[accepted++] ?? lastConn + 1;
    const recorded = lines.filter((l) => l.conn === conn);
    const ids = new Map<string, string>();
    const substitutions = new Map<string, string>();
    const unset: Array<{ name: string; value: string }> = [];
    let waiting: { name: string; deliver: (action: AmiMessage) => void } | undefined;
    const early: AmiMessage[] = [];

    const rewrite = (raw: string): string | undefined => {
      let out = raw;
      for (const [from, to] of substitutions) out = out.split(from).join(to);
      for (const { name, value } of unset) {
        if (out.startsWith('Event: VarSet\r\n') && out.includes(`\r\nVariable: ${name}\r\nValue: ${value}\r\n`)) return undefined;
        out = out.split(`: ${name}=${value}\r\n`).join(`: ${name}=\r\n`);
      }
      return out
        .split('\r\n')
        .map((line) => {
          if (!line.startsWith('ActionID: ')) return line;
          const real = ids.get(line.slice('ActionID: '.length));
          return real === undefined ? line : `ActionID: ${real}`;
        })
        .join('\r\n');
    };

    function next(name: string): Promise<AmiMessage> {
      const index = early.findIndex((a) => amiField(a, 'Action') === name);
      if (index >= 0) return Promise.resolve(early.splice(index, 1)[0] as AmiMessage);
      return new Promise((resolve) => {
        waiting = { name, deliver: resolve };
      });
    }

    async function walk(session: AmiServerSession): Promise<void> {
      await options.gate;
      const loginAt = recorded.findIndex((l) => l.dir === 'server' && /Authentication accepted/.test(l.raw));
      for (const line of recorded.slice(loginAt + 1)) {
        if (socket.destroyed) return;
        if (line.dir === 'server') {
          const raw = rewrite(line.raw);
          if (raw !== undefined) session.send(raw);
          continue;
        }
        const want = parse(line.raw);
        const name = amiField(want, 'Action') ?? '';
        const recordedId = amiField(want, 'ActionID');
        if (name === 'Logoff' || name === 'Login') continue;
        if (skip.has(name)) {
          // Its recorded answers still go out, under an ActionID no real action can have.
          if (recordedId !== undefined) ids.set(recordedId, `recorded-${recordedId}`);
          continue;
        }
        const real = await next(name);
        const answer = recorded.find((l) => l.dir === 'server' && recordedId !== undefined && l.raw.startsWith('Response: ') && amiField(parse(l.raw), 'ActionID') === recordedId);
        const difference = actionDifference(real, want, answer !== undefined && amiField(parse(answer.raw), 'Response') === 'Error');
        if (difference !== '') {
          mismatches.push(`${name}: ${difference}`);
          session.reply(real, { Response: 'Error', Message: `fake AMI: not the recorded ${name} (${difference})` });
          return;
        }
        if (recordedId !== undefined) ids.set(recordedId, amiField(real, 'ActionID') ?? '');
        unset.push(...omittedVariables(real, want));
        const recordedChannelId = amiField(want, 'ChannelId');
        const realChannelId = amiField(real, 'ChannelId');
        if (recordedChannelId !== undefined && realChannelId !== undefined) substitutions.set(recordedChannelId, realChannelId);
      }
      if (conn >= lastConn) markReplayed();
      else socket.destroy();
    }

    createAmiServerSession(socket, {
      username: 'cti',
      secret: 'ctisecret',
      onLogin: (s) => void walk(s),
      onAnyAction: (action) => {
        const name = amiField(action, 'Action');
        if (name !== 'Login' && name !== 'Logoff' && name !== 'Ping') actions.push(action);
      },
      onAction: (action, s) => {
        const name = amiField(action, 'Action') ?? '';
        if (waiting?.name === name) {
          const w = waiting;
          waiting = undefined;
          w.deliver(action);
          return true;
        }
        const later = recorded.some((l) => l.dir === 'client' && amiField(parse(l.raw), 'Action') === name && !skip.has(name));
        // A recorded action comes before the list default: a replay held by `gate` still answers it as recorded.
        if (later) {
          early.push(action);
          return true;
        }
        if (listActions.has(name)) {
          s.send(emptyList(name, amiField(action, 'ActionID')));
          return true;
        }
        mismatches.push(`${name}: not in the recording`);
        s.reply(action, { Response: 'Error', Message: `fake AMI: ${name} is not in the recording` });
        return true;
      },
    });
  }

  const server: Server = createServer(serve);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    actions,
    received: () => bytes.join(''),
    mismatches,
    replayed,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
