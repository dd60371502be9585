import { connect, type Socket as NetSocket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { effectiveMax } from '../src/http/connections.js';
import { connectClient, nextEvent, startTestHub, until, type TestHub } from './helpers.js';

/** An attacker on another loopback address (Linux routes all of 127/8 to lo). */
const attacker = '127.0.0.2';

function openSocket(port: number, localAddress: string): Promise<NetSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function metric(t: TestHub, name: string): Promise<string> {
  const text = await t.hub.metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(name)).join('\n');
}

describe('slow and idle connections', () => {
  let t: TestHub;
  const sockets: NetSocket[] = [];
  let drip: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    t = await startTestHub({ config: { connections: { max: 60, maxPerAddress: 20, headersTimeoutMs: 500, requestTimeoutMs: 1_000, idleTimeoutMs: 2_000 } } });
  });
  afterEach(() => {
    clearInterval(drip);
    for (const socket of sockets.splice(0)) socket.destroy();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a slowloris from one host is capped and timed out, and agents keep connecting and getting pops meanwhile', async () => {
    const closed = new Set<NetSocket>();
    // 200 connections: each sends a request line, then one header line at a time, forever.
    for (let i = 0; i < 200; i += 1) {
      const socket = await openSocket(t.port, attacker).catch(() => undefined);
      if (!socket) continue;
      socket.on('error', () => undefined);
      socket.once('close', () => closed.add(socket));
      socket.write('GET /healthz HTTP/1.1\r\nHost: hub\r\n');
      sockets.push(socket);
    }
    // Idle ones too: connected, never a byte.
    for (let i = 0; i < 10; i += 1) {
      const socket = await openSocket(t.port, attacker).catch(() => undefined);
      if (!socket) continue;
      socket.on('error', () => undefined);
      socket.once('close', () => closed.add(socket));
      sockets.push(socket);
    }
    drip = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write(`X-Slow-${Date.now()}: 1\r\n`);
    }, 100);

    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const ack = (await integration.timeout(3000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/c/1', peer: t.peer, mode: 'new_tab' })) as { delivered: number };
    expect(ack.delivered).toBe(1);
    await nextEvent(agent, 'AgentCTI');
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

    // Every attacking connection is closed: over the cap at once, the rest when their headers take too long.
    await until(() => closed.size === sockets.length, 15_000, `all ${sockets.length} slow connections closed (${closed.size} so far)`);
    // 210 came, at most 20 at a time were let in (more only as others timed out).
    const refused = Number((await metric(t, 'shuttle_cti_http_connections_refused_total{reason="address"}')).split(' ')[1]);
    expect(refused).toBeGreaterThanOrEqual(100);
    expect(refused).toBeLessThanOrEqual(190);
    agent.close();
    integration.close();
  });

  it('refuses connections over the total cap, counts them, and takes new ones once others close', async () => {
    // Nothing left from the test before (fetch keeps its connection alive for a while).
    await until(async () => (await metric(t, 'shuttle_cti_http_connections ')) === 'shuttle_cti_http_connections 0', 10_000, 'no open connections');
    // 3 addresses × 20 reach the total of 60; the 61st is refused.
    for (const address of ['127.0.0.3', '127.0.0.4', '127.0.0.5']) {
      for (let i = 0; i < 20; i += 1) {
        const socket = await openSocket(t.port, address);
        socket.on('error', () => undefined);
        sockets.push(socket);
      }
    }
    await until(async () => (await metric(t, 'shuttle_cti_http_connections ')) === 'shuttle_cti_http_connections 60', 5000, '60 open connections');
    const extra = await openSocket(t.port, '127.0.0.6');
    await new Promise((resolve) => extra.once('close', resolve));
    expect(await metric(t, 'shuttle_cti_http_connections_refused_total{reason="total"}')).toMatch(/ 1$/);
    for (const socket of sockets.splice(0)) socket.destroy();
    await until(async () => (await fetch(`${t.url}/healthz`).catch(() => undefined))?.status === 200, 5000, 'the hub to answer again');
  });
});

describe('the connection cap and the open-file limit', () => {
  it('keeps a tenth of the descriptors (at least 64) for the store and the rest, whatever connections.max says', () => {
    expect(effectiveMax(10_000, 1_024)).toBe(921);
    expect(effectiveMax(10_000, 200)).toBe(136);
    expect(effectiveMax(60, 1_024)).toBe(60);
    expect(effectiveMax(500, undefined)).toBe(500);
  });
});
