import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, nextEvent, record, startTestHub, type TestHub } from './helpers.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t.stop();
});

async function refusal(namespace: '/' | '/agent' | '/supervisor', auth: Record<string, unknown>): Promise<{ code: string; message: string }> {
  try {
    const socket = await connectClient(t.url, namespace, auth);
    socket.close();
  } catch (error) {
    return (error as { data: { code: string; message: string } }).data;
  }
  throw new Error('connection was accepted');
}

describe('every connection proves its role', () => {
  it('refuses a missing or unknown token with UNAUTHORIZED', async () => {
    expect(await refusal('/', {})).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusal('/', { token: 'sct_nope' })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusal('/agent', {})).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusal('/supervisor', { token: '' })).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a token of another role with FORBIDDEN', async () => {
    expect(await refusal('/agent', { token: t.tokens.integration })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal('/', { token: t.tokens.agent })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal('/supervisor', { token: t.tokens.agent })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal('/', { token: t.tokens.source })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('accepts each role on its namespace and says who it is', async () => {
    const { io } = await import('socket.io-client');
    const agent = record(io(`${t.url}/agent`, { auth: { token: t.tokens.agent }, transports: ['websocket'], forceNew: true }));
    const welcome = await nextEvent<{ role: string; peer: string; protocol: number }>(agent, 'welcome');
    expect(welcome).toMatchObject({ role: 'agent', peer: t.peer, protocol: 1 });
    agent.close();
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    supervisor.close();
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    integration.close();
  });

  it('refuses agents sending commands, without disconnecting them', async () => {
    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const ack = (await agent.timeout(2000).emitWithAck('AgentCTI', { url: 'https://crm.example/x', peer: t.peer, mode: 'new_tab' })) as {
      ok: boolean;
      error: { code: string };
    };
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const noAck = nextEvent<{ code: string; command: string }>(agent, 'cti_error');
    agent.emit('AgentCTINotification', { peer: t.peer, type: 'info', title: 'x', body: 'y' });
    expect(await noAck).toMatchObject({ code: 'FORBIDDEN', command: 'AgentCTINotification' });
    expect(agent.connected).toBe(true);
    agent.close();
  });

  it('disconnects the sessions of a revoked token within the re-check interval', async () => {
    const { createToken } = await import('../src/auth.js');
    const { secret, record } = await createToken(t.hub.store, { role: 'integration', name: 'to-revoke' });
    const socket = await connectClient(t.url, '/', { token: secret });
    const gone = nextEvent(socket, 'disconnect', 10_000);
    await t.hub.store.revokeToken(record.id);
    await gone;
    expect(await refusal('/', { token: secret })).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('stores tokens only as hashes', async () => {
    const tokens = await t.hub.store.listTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const dump = JSON.stringify(tokens);
    for (const secret of Object.values(t.tokens)) expect(dump).not.toContain(secret);
    expect(await t.hub.store.findTokenByHash(t.tokens.integration)).toBeUndefined();
  });
});

describe('trustLoopbackIntegrations', () => {
  it('is off by default and, when on, admits a tokenless integration from 127.0.0.1 only to "/"', async () => {
    const trusted = await startTestHub({ config: { trustLoopbackIntegrations: true } });
    try {
      const socket = await connectClient(trusted.url, '/', {});
      expect(socket.connected).toBe(true);
      socket.close();
      await expect(connectClient(trusted.url, '/agent', {})).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      await expect(connectClient(trusted.url, '/', { token: 'sct_wrong' })).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    } finally {
      await trusted.stop();
    }
  });
});
