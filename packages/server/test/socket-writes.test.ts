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
