/**
 * Test helpers shared by every package's tests: a real hub on port 0 with SQLite in a
 * temp dir (or a given store), tokens for each role, and socket.io client helpers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@shuttle-cti/store';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createToken } from '../src/auth.js';
import type { HubConfigInput } from '../src/config.js';
import { createHub, type Hub, type HubOptions } from '../src/hub.js';
import type { IngestResult } from '../src/core/ingest.js';
import { until as poll } from '../../../test-support/poll.js';

export const seedDir = new URL('../../../fixtures/seed-events/', import.meta.url);
export const fixturesDir = new URL('../../../fixtures/', import.meta.url);

export interface TestTokens {
  integration: string;
  agent: string;
  supervisor: string;
  source: string;
}

export interface TestHub {
  url: string;
  port: number;
  hub: Hub;
  dataDir: string;
  /** The peer the agent token is bound to. */
  peer: string;
  tokens: TestTokens;
  ingest(events: readonly unknown[]): Promise<IngestResult[]>;
  /** Another agent token for another peer. */
  agentToken(peer: string): Promise<string>;
  /** Stops the hub and starts a new one on the same port and data (clients reconnect by themselves). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestHubOptions {
  config?: HubConfigInput;
  /** A store to share (the hub will not close it). */
  store?: Store;
  peer?: string;
  sources?: HubOptions['sources'];
  webDist?: string;
  /** A logger to read the hub's log lines from (default: silent). */
  logger?: HubOptions['logger'];
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shuttle-cti-test-'));
  const peer = options.peer ?? 'SIP/andrea.bianco';
  const make = async (port: number): Promise<Hub> => {
    const hub = await createHub({
      // The event loop a test hub runs on is the test runner's, shared with the clients and the
      // browser driver, whose stalls it would take for its own: it refuses for lag only when a
      // test asks (overload.test.ts), and for backlog as configured.
      config: { host: '127.0.0.1', logLevel: 'silent', dataDir, ...options.config, limits: { ingestMaxLagMs: 60_000, ...options.config?.limits }, port },
      ...(options.store ? { store: options.store } : {}),
      ...(options.sources ? { sources: options.sources } : {}),
      ...(options.webDist ? { webDist: options.webDist } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    await hub.listen();
    return hub;
  };
  let hub = await make(options.config?.port ?? 0);
  const token = async (role: 'integration' | 'agent' | 'supervisor' | 'source', bound?: string) =>
    (await createToken(hub.store, { role, peer: bound, name: `test-${role}` })).secret;
  const tokens: TestTokens = {
    integration: await token('integration'),
    agent: await token('agent', peer),
    supervisor: await token('supervisor'),
    source: await token('source'),
  };
  const t: TestHub = {
    get url() {
      return hub.url;
    },
    get port() {
      return hub.port;
    },
    get hub() {
      return hub;
    },
    dataDir,
    peer,
    tokens,
    ingest: (events) => hub.ingest(events),
    agentToken: (p) => token('agent', p),
    async restart() {
      const port = hub.port;
      await hub.close();
      hub = await make(port);
    },
    async stop() {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

interface Recorded {
  items: unknown[];
  consumed: number;
  listeners: Set<() => void>;
}
const recorders = new WeakMap<object, Map<string, Recorded>>();

function recorded(socket: object, event: string): Recorded {
  let byName = recorders.get(socket);
  if (!byName) recorders.set(socket, (byName = new Map()));
  let r = byName.get(event);
  if (!r) byName.set(event, (r = { items: [], consumed: 0, listeners: new Set() }));
  return r;
}

/**
 * Records every event a socket receives from the moment it is created, so a test never
 * misses one that arrived in the same network read as the one it awaited.
 */
export function record(socket: Socket): Socket {
  socket.onAny((event: string, value: unknown) => {
    const r = recorded(socket, event);
    r.items.push(value);
    for (const wake of r.listeners) wake();
  });
  return socket;
}

/** Connects a socket.io v4 client (recording its events) and waits for `welcome` or the connect_error. */
export async function connectClient(
  url: string,
  namespace: '/' | '/agent' | '/supervisor',
  auth: Record<string, unknown>,
  options: { reconnection?: boolean } = {},
): Promise<Socket> {
  const socket = record(
    ioClient(url + (namespace === '/' ? '' : namespace), {
      auth,
      transports: ['websocket'],
      reconnection: options.reconnection ?? false,
      forceNew: true,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('welcome', () => resolve());
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}

const reserved = new Set(['connect', 'disconnect', 'connect_error']);

/** The next not-yet-taken `event` on a recorded socket (possibly one already received), or rejects after `ms`. */
export function nextEvent<T = unknown>(socket: Socket, event: string, ms = 5000): Promise<T> {
  if (reserved.has(event)) {
    // socket.io's own events do not pass through onAny: wait for the next one.
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
      socket.once(event as 'disconnect', (value: unknown) => {
        clearTimeout(timer);
        resolve(value as T);
      });
    });
  }
  const r = recorded(socket, event);
  return new Promise<T>((resolve, reject) => {
    const take = (): boolean => {
      if (r.consumed >= r.items.length) return false;
      const value = r.items[r.consumed++] as T;
      r.listeners.delete(wake);
      clearTimeout(timer);
      resolve(value);
      return true;
    };
    const wake = (): void => {
      take();
    };
    const timer = setTimeout(() => {
      r.listeners.delete(wake);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    if (!take()) r.listeners.add(wake);
  });
}

/** Every `event` a recorded socket has received (a live array: it grows as events arrive). */
export function collect<T = unknown>(socket: Socket, events: readonly string[]): T[] {
  if (events.length === 1) return recorded(socket, events[0] as string).items as T[];
  const out: T[] = [];
  for (const name of events) {
    const r = recorded(socket, name);
    out.push(...(r.items as T[]));
    r.listeners.add(() => out.push(r.items[r.items.length - 1] as T));
  }
  return out;
}

/** Polls `check` until it returns truthy, or fails after `ms` (the shared helper, test-support/poll.ts). */
export function until<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<NonNullable<T>> {
  return poll(check, { what, ms });
}

/** The five seed sample events, verbatim. */
export async function seedEvents(): Promise<Record<'ringing' | 'up' | 'hangup' | 'abandon' | 'outbound', Record<string, unknown>>> {
  const { readFile } = await import('node:fs/promises');
  const load = async (name: string) => JSON.parse(await readFile(new URL(`${name}.json`, seedDir), 'utf8')) as Record<string, unknown>;
  return {
    ringing: await load('ringing'),
    up: await load('up'),
    hangup: await load('hangup'),
    abandon: await load('abandon'),
    outbound: await load('outbound'),
  };
}
