import type { Socket as ServerSocket } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, connectClient, record, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

/** Counts the writes the hub makes to the TCP socket under a connection (one per system call). */
function countWrites(socket: ServerSocket): { count: number } {
  const raw = (socket.conn.transport as unknown as { socket: { _socket: Record<'_write' | '_writev', (...args: unknown[]) => unknown> } }).socket._socket;
  const counter = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = raw[method].bind(raw);
    raw[method] = (...args: unknown[]) => {
      counter.count++;
      return original(...args);
    };
  }
  return counter;
}

const only = (namespace: { sockets: Map<string, ServerSocket> }): ServerSocket => {
  const [socket] = namespace.sockets.values();
  if (!socket) throw new Error('no connection on the hub');
  return socket;
};

describe('writes to a connection are coalesced per event-loop turn', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await startTestHub();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('40 events ingested together reach an integration and a supervisor, in order, in a few writes rather than 40', async () => {
    const { ringing } = await seedEvents();
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    const integrationWrites = countWrites(only(t.hub.io.of('/')));
    const supervisorWrites = countWrites(only(t.hub.io.of('/supervisor')));

    const events = Array.from({ length: 40 }, (_, i) => ({ ...ringing, uniqueid: `1700000000.${i}`, peer: `SIP/agent.${i}` }));
    const results = await t.ingest(events);
    expect(results.every((r) => r.ok)).toBe(true);

    const got = collect<{ seq: number; uniqueid: string }>(integration, ['ringing']);
    const watched = collect<{ uniqueid: string }>(supervisor, ['ringing']);
    await until(() => got.length === 40 && watched.length === 40, 5000, '40 events at both');
    expect(got.map((e) => e.uniqueid)).toEqual(events.map((e) => e.uniqueid));
    expect(got.map((e) => e.seq)).toEqual([...got.map((e) => e.seq)].sort((a, b) => a - b));
    // The first packet goes out in one write, everything queued behind it in one more.
    expect(integrationWrites.count).toBeGreaterThan(0);
    expect(integrationWrites.count).toBeLessThanOrEqual(3);
    // The supervisor also gets an `agent` update per ringing agent: 80 packets.
    expect(supervisorWrites.count).toBeLessThanOrEqual(3);
    integration.close();
    supervisor.close();
  });

  it('a burst of pops to one agent leaves in a few writes, in order', async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const agentWrites = countWrites(only(t.hub.io.of('/agent')));
    const pops = collect<{ id: string; url: string }>(agent, ['AgentCTI']);

    // The 20 commands leave the integration in one TCP write, so the hub reads them in one
    // turn whatever the machine's load (each would otherwise be its own segment).
    const clientSocket = (integration.io.engine.transport as unknown as { ws: { _socket: { cork(): void; uncork(): void } } }).ws._socket;
    const urls = Array.from({ length: 20 }, (_, i) => `https://crm.example.test/burst/${i}`);
    clientSocket.cork();
    const sending = urls.map((url) => integration.timeout(5000).emitWithAck('AgentCTI', { url, peer: t.peer, mode: 'new_frame' }));
    process.nextTick(() => clientSocket.uncork());
    const acks = (await Promise.all(sending)) as { ok: boolean; id: string }[];
    expect(acks.every((a) => a.ok)).toBe(true);
    await until(() => pops.length === 20, 5000, '20 pops at the agent');
    expect(pops.map((p) => p.url)).toEqual(urls);
    expect(agentWrites.count).toBeGreaterThan(0);
    expect(agentWrites.count).toBeLessThanOrEqual(3);
    integration.close();
    agent.close();
  });

  it('agents being written to when the hub closes see the close at once, and get every pop after the restart', async () => {
    const integration = record(ioClient(t.url, { auth: { token: t.tokens.integration }, transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 }));
    const peers = Array.from({ length: 20 }, (_, i) => `SIP/closing.${i}`);
    const agents = await Promise.all(
      peers.map(async (peer) => {
        const socket = record(ioClient(`${t.url}/agent`, { auth: { token: await t.agentToken(peer) }, transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 }));
        const got: string[] = [];
        let disconnects = 0;
        socket.on('AgentCTI', (pop: { id: string; url: string }) => {
          if (!got.includes(pop.url)) got.push(pop.url);
          socket.emit('ack', { id: pop.id });
        });
        socket.on('disconnect', () => disconnects++);
        return { peer, socket, got, disconnects: () => disconnects };
      }),
    );
    await until(() => integration.connected && agents.every((a) => a.socket.connected), 10_000, 'everyone connected');

    // Pops are still going out to the agents when the hub starts closing (it is told to as
    // soon as they are accepted), so close frames are written to corked connections.
    const sent = peers.map((peer) => `https://crm.example.test/closing/${peer}`);
    const more = peers.map((peer) => `https://crm.example.test/closing/${peer}/2`);
    const wakeups = [...sent, ...more].map((url, i) => integration.timeout(5000).emitWithAck('AgentCTI', { url, peer: peers[i % peers.length], mode: 'new_frame' }));
    const acks = (await Promise.all(wakeups)) as { ok: boolean }[];
    const closing = performance.now();
    const restarted = t.restart();
    expect(acks.every((a) => a.ok)).toBe(true);
    // A close frame stuck behind a cork would leave the agents waiting for ws's 30 s close timeout.
    await until(() => agents.every((a) => a.disconnects() >= 1), 10_000, 'every agent saw the close');
    await restarted;
    expect(performance.now() - closing).toBeLessThan(10_000);

    await until(() => agents.every((a) => a.socket.connected), 10_000, 'agents back');
    await until(() => agents.every((a, i) => a.got.includes(sent[i] ?? '') && a.got.includes(more[i] ?? '')), 10_000, 'every pop after the restart');
    integration.close();
    for (const a of agents) a.socket.close();
  });

  it('a client on HTTP long-polling (nothing to cork) gets every event too', async () => {
    const { ringing } = await seedEvents();
    const polling = record(ioClient(t.url, { auth: { token: t.tokens.integration }, transports: ['polling'], reconnection: false, forceNew: true }));
    await until(() => polling.connected, 5000, 'polling connection');
    const events = Array.from({ length: 40 }, (_, i) => ({ ...ringing, uniqueid: `1700000001.${i}` }));
    await t.ingest(events);
    const got = collect<{ uniqueid: string }>(polling, ['ringing']);
    await until(() => got.length === 40, 5000, '40 events by polling');
    expect(got.map((e) => e.uniqueid)).toEqual(events.map((e) => e.uniqueid));
    polling.close();
  });
});
