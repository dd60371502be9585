import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, nextEvent, startTestHub, type TestHub } from './helpers.js';

/** A socket.io client that sends `Origin`, as a browser does (Node's clients send none). */
function connectAs(url: string, namespace: string, origin: string | undefined, auth: Record<string, unknown>, transport: 'websocket' | 'polling'): Promise<Socket> {
  const socket = ioClient(url + namespace, {
    auth,
    transports: [transport],
    reconnection: false,
    forceNew: true,
    ...(origin === undefined ? {} : { extraHeaders: { origin } }),
  });
  return new Promise((resolve, reject) => {
    socket.once('welcome', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('browser origins', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ config: { trustLoopbackIntegrations: true, allowedOrigins: ['https://crm.example.test'] } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  for (const transport of ['websocket', 'polling'] as const) {
    it(`with --trust-loopback, a page of another site cannot become an integration (${transport})`, async () => {
      await expect(connectAs(t.url, '/', 'http://evil.example', {}, transport)).rejects.toThrow();
      // Not even with the hub's own origin: a browser on the loopback is not a trusted script.
      await expect(connectAs(t.url, '/', t.url, {}, transport)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      // A script on the loopback (no Origin) still is.
      const script = await connectAs(t.url, '/', undefined, {}, transport);
      script.close();
    });
  }

  it('refuses a browser origin that is neither the hub nor configured, even with a valid token', async () => {
    await expect(connectAs(t.url, '/agent', 'http://evil.example', { token: t.tokens.agent }, 'websocket')).rejects.toThrow();
    const own = await connectAs(t.url, '/agent', t.url, { token: t.tokens.agent }, 'websocket');
    const crm = await connectAs(t.url, '/', 'https://crm.example.test', { token: t.tokens.integration }, 'polling');
    own.close();
    crm.close();
  });

  it('long-polling reflects only configured origins in CORS', async () => {
    const handshake = (origin: string) => fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const evil = await handshake('http://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const crm = await handshake('https://crm.example.test');
    expect(crm.headers.get('access-control-allow-origin')).toBe('https://crm.example.test');
    expect(crm.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('acknowledgements', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("an agent acknowledging another peer's command gets NOT_FOUND, and the command stays queued for its peer", async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const alice = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const queued = (await integration.timeout(3000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/bob', peer: 'SIP/bob', mode: 'new_tab' })) as { id: string; queued: number };
    expect(queued.queued).toBe(1);
    const ack = (await alice.timeout(3000).emitWithAck('ack', { id: queued.id })) as { ok: boolean; error?: { code: string } };
    expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const bob = await connectClient(t.url, '/agent', { token: await t.agentToken('SIP/bob') });
    expect(await nextEvent(bob, 'AgentCTI')).toMatchObject({ id: queued.id, url: 'https://crm.example.test/bob' });
    expect(await bob.timeout(3000).emitWithAck('ack', { id: queued.id })).toEqual({ ok: true });
    for (const socket of [integration, alice, bob]) socket.close();
  });
});
