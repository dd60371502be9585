// The SDK's connection: resume across a hub restart, failover, fail-fast and waiting commands,
// timeouts, and handler isolation.
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedEvents, startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { connect, CtiError, type CtiClient, type UpEvent } from '../src/index.js';

let t: TestHub;
let seed: Awaited<ReturnType<typeof seedEvents>>;
const clients: CtiClient[] = [];
const open = (...args: Parameters<typeof connect>): CtiClient => {
  const c = connect(...args);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  t = await startTestHub();
  seed = await seedEvents();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  await t.stop();
});

let calls = 0;
/** The seed `up`, as a new call. */
const upEvent = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...seed.up,
  uniqueid: `sdk-${++calls}.1`,
  ...extra,
});

/** A real socket.io server that we drive by hand, for behaviours a correct hub never shows. */
async function plainServer(): Promise<{ io: Server; url: string; close: () => Promise<void> }> {
  const http: HttpServer = createServer();
  const io = new Server(http);
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    io,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const http = createServer();
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return port;
}

describe('events', () => {
  it('delivers call events typed by name, with the hub fields, and tracks lastSeq', async () => {
    const cti = open(t.url, { token: t.tokens.integration });
    const welcomes: number[] = [];
    cti.on('welcome', (w) => welcomes.push(w.lastSeq));
    await cti.ready;
    const got: UpEvent[] = [];
    cti.on('up', (call) => void got.push(call));
    const [result] = await t.ingest([upEvent({ variables: { ordernumber: 'A-7' } })]);
    await until(() => got.length === 1, 3000, 'the up event');
    const call = got[0] as UpEvent;
    expect(call).toMatchObject({ event: 'up', up: true, queue: seed.up['queue'], variables: { ordernumber: 'A-7' } });
    expect(typeof call.seq).toBe('number');
    expect(result).toMatchObject({ ok: true, seq: call.seq });
    expect(cti.lastSeq).toBe(call.seq);
    expect(welcomes).toHaveLength(1);
  });

  it('runs handlers of one event in order; one that throws or rejects does not stop the others', async () => {
    const cti = open(t.url, { token: t.tokens.integration });
    await cti.ready;
    const order: string[] = [];
    const failures: { error: unknown; event: string }[] = [];
    cti.on('handler_error', (error, { event }) => void failures.push({ error, event }));
    cti.on('up', () => void order.push('first'));
    cti.on('up', () => {
      order.push('throws');
      throw new Error('sync failure');
    });
    cti.on('up', async () => {
      order.push('rejects');
      throw new Error('async failure');
    });
    cti.on('up', () => void order.push('last'));
    await t.ingest([upEvent(), upEvent()]);
    await until(() => failures.length === 4, 3000, 'the handler errors');
    expect(order).toEqual(['first', 'throws', 'rejects', 'last', 'first', 'throws', 'rejects', 'last']);
    // A rejection is reported when it happens, after the synchronous failures of the same tick.
    expect(failures.map((f) => (f.error as Error).message).sort()).toEqual(['async failure', 'async failure', 'sync failure', 'sync failure']);
    expect(failures.every((f) => f.event === 'up')).toBe(true);
    expect(cti.connected).toBe(true);
  });

  it('resumes after a hub restart: every event once, in order, none skipped', async () => {
    const cti = open(t.url, { token: t.tokens.integration, reconnectDelay: 50, reconnectDelayMax: 200 });
    await cti.ready;
    const seqs: number[] = [];
    const reconnected: string[] = [];
    cti.on('up', (call) => void seqs.push(call.seq));
    cti.on('connect', ({ url }) => void reconnected.push(url));
    const before = await t.ingest([upEvent(), upEvent(), upEvent()]);
    await until(() => seqs.length === 3, 3000, 'events before the restart');
    await t.restart();
    // Ingested while the client is still away: they must come through the replay.
    const during = await t.ingest([upEvent(), upEvent()]);
    await until(() => reconnected.length === 1, 10_000, 'the reconnection');
    const after = await t.ingest([upEvent()]);
    await until(() => seqs.length === 6, 5000, 'all six events');
    const expected = [...before, ...during, ...after].map((r) => (r as { seq: number }).seq);
    expect(seqs).toEqual(expected);
    expect(new Set(seqs).size).toBe(6);
  });

  it('drops an event whose seq it has already seen, so a handler never sees one twice', async () => {
    const server = await plainServer();
    server.io.on('connection', (socket) => {
      const base = { ...seed.up, time: '2020-01-01T00:00:00Z', variables: {}, up: true };
      for (const seq of [1, 2, 2, 1, 3]) socket.emit('up', { ...base, seq });
    });
    const cti = open(server.url, { token: 'x' });
    const seqs: number[] = [];
    cti.on('up', (call) => void seqs.push(call.seq));
    await until(() => seqs.includes(3), 3000, 'the last event');
    expect(seqs).toEqual([1, 2, 3]);
    cti.close();
    await server.close();
  });

  it('sends lastSeq in the handshake of every reconnection', async () => {
    const server = await plainServer();
    const handshakes: unknown[] = [];
    server.io.on('connection', (socket) => {
      handshakes.push(socket.handshake.auth);
      if (handshakes.length === 1) {
        socket.emit('welcome', { protocol: 1, role: 'integration', name: 'x', lastSeq: 41 });
        socket.emit('up', { ...seed.up, seq: 42, time: '2020-01-01T00:00:00Z', variables: {}, up: true });
        setImmediate(() => socket.disconnect(true));
      }
    });
    const cti = open(server.url, { token: 'secret', reconnectDelay: 20 });
    await until(() => handshakes.length === 2, 5000, 'the reconnection');
    expect(handshakes).toEqual([{ token: 'secret' }, { token: 'secret', lastSeq: 42 }]);
    cti.close();
    await server.close();
  });
});

describe('commands and the connection', () => {
  it('fails fast with DISCONNECTED when not connected', async () => {
    const port = await freePort();
    const cti = open(`http://127.0.0.1:${port}`, { token: 'x' });
    const error: unknown = await cti.wakeup('https://crm.example.test', 'SIP/x', 'new_tab').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtiError);
    expect((error as CtiError).code).toBe('DISCONNECTED');
  });

  it("with whenDisconnected: 'wait', sends the command once connected", async () => {
    const cti = open(t.url, { token: t.tokens.integration, whenDisconnected: 'wait' });
    const pending = cti.wakeup('https://crm.example.test/later', 'SIP/nobody.waiting', 'new_tab');
    expect(cti.connected).toBe(false);
    await expect(pending).resolves.toMatchObject({ queued: 1 });
  });

  it('times out with TIMEOUT when the hub does not answer', async () => {
    const server = await plainServer();
    server.io.on('connection', (socket) => socket.on('AgentCTI', () => undefined));
    const cti = open(server.url, { token: 'x', timeout: 200 });
    await cti.ready;
    const error: unknown = await cti.wakeup('https://crm.example.test', 'SIP/x', 'new_tab').catch((e: unknown) => e);
    expect((error as CtiError).code).toBe('TIMEOUT');
    cti.close();
    await server.close();
  });

  it('rejects commands in flight with DISCONNECTED when the connection drops', async () => {
    const server = await plainServer();
    server.io.on('connection', (socket) => socket.on('AgentCTI', () => socket.disconnect(true)));
    const cti = open(server.url, { token: 'x', reconnectDelay: 60_000 });
    await cti.ready;
    const error: unknown = await cti.wakeup('https://crm.example.test', 'SIP/x', 'new_tab').catch((e: unknown) => e);
    expect((error as CtiError).code).toBe('DISCONNECTED');
    cti.close();
    await server.close();
  });
});

describe('failover', () => {
  it('connects to the next URL when the first hub is down', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const cti = open([dead, t.url], { token: t.tokens.integration });
    const connected: string[] = [];
    cti.on('connect', ({ url }) => void connected.push(url));
    await cti.ready;
    expect(connected).toEqual([t.url]);
    expect((await cti.notification('SIP/nobody.fail', 'info', 't', 'b')).queued).toBe(1);
  });

  it('close() stops reconnecting and rejects waiting commands', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const cti = open(dead, { token: 'x', whenDisconnected: 'wait' });
    const pending = cti.notification('SIP/x', 'info', 't', 'b');
    cti.close();
    const error: unknown = await pending.catch((e: unknown) => e);
    expect((error as CtiError).code).toBe('DISCONNECTED');
    expect((await cti.ready.catch((e: unknown) => e)) as CtiError).toBeInstanceOf(CtiError);
    expect(cti.closed).toBe(true);
  });
});
