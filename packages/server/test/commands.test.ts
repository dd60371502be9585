import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

let t: TestHub;
let integration: Socket;
beforeAll(async () => {
  t = await startTestHub({ config: { outbox: { agentCtiTtlMs: 400, sweepIntervalMs: 50 } } });
  integration = await connectClient(t.url, '/', { token: t.tokens.integration });
});
afterAll(async () => {
  integration.close();
  await t.stop();
});

type Ack = { ok: boolean; id?: string; delivered?: number; queued?: number; duplicate?: boolean; error?: { code: string; field?: string; message: string } };
const send = (command: string, payload: unknown): Promise<Ack> => integration.timeout(3000).emitWithAck(command, payload) as Promise<Ack>;

describe('AgentCTI', () => {
  it('reaches every session of the peer once, and acks with delivered', async () => {
    const a = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const b = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const other = await connectClient(t.url, '/agent', { token: await t.agentToken('SIP/someone.else') });
    const gotA = collect<Record<string, unknown>>(a, ['AgentCTI']);
    const gotB = collect<Record<string, unknown>>(b, ['AgentCTI']);
    const gotOther = collect(other, ['AgentCTI']);
    const ack = await send('AgentCTI', { url: 'https://crm.example.test/sales?order=1', peer: t.peer, mode: 'new_frame' });
    expect(ack).toMatchObject({ ok: true, delivered: 2, queued: 0 });
    await until(() => gotA.length === 1 && gotB.length === 1, 3000, 'both sessions');
    expect(gotA[0]).toMatchObject({ id: ack.id, url: 'https://crm.example.test/sales?order=1', peer: t.peer, mode: 'new_frame' });
    expect(typeof gotA[0]?.['time']).toBe('string');
    expect(gotOther).toHaveLength(0);
    for (const s of [a, b, other]) s.close();
  });

  it.each([
    ['javascript: URL', { url: 'javascript:alert(1)', peer: 'SIP/x', mode: 'new_tab' }, 'url'],
    ['data: URL', { url: 'data:text/html,<script>1</script>', peer: 'SIP/x', mode: 'new_tab' }, 'url'],
    ['relative URL', { url: '/crm/search?phone=1', peer: 'SIP/x', mode: 'new_tab' }, 'url'],
    ['too long URL', { url: `https://crm.example.test/${'a'.repeat(3000)}`, peer: 'SIP/x', mode: 'new_tab' }, 'url'],
    ['unknown mode', { url: 'https://crm.example.test', peer: 'SIP/x', mode: 'new_popup' }, 'mode'],
    ['missing peer', { url: 'https://crm.example.test', mode: 'new_tab' }, 'peer'],
  ])('refuses a %s naming the field', async (_name, payload, field) => {
    const ack = await send('AgentCTI', payload);
    expect(ack.ok).toBe(false);
    expect(ack.error).toMatchObject({ code: 'INVALID_PAYLOAD', field });
  });

  it('refuses an unknown notification type and an oversized payload', async () => {
    expect((await send('AgentCTINotification', { peer: 'SIP/x', type: 'fatal', title: 't', body: 'b' })).error).toMatchObject({ field: 'type' });
    const big = await send('AgentCTINotification', { peer: 'SIP/x', type: 'info', title: 't', body: 'b'.repeat(17_000) });
    expect(big.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers older scripts without an ack with a cti_error event, and stays connected', async () => {
    const error = nextEvent<{ code: string; field: string; command: string }>(integration, 'cti_error');
    integration.emit('AgentCTI', { url: 'javascript:void(0)', peer: 'SIP/x', mode: 'new_tab' });
    expect(await error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'url', command: 'AgentCTI' });
    expect(integration.connected).toBe(true);
    const ok = await send('AgentCTI', { url: 'https://crm.example.test/ok', peer: 'SIP/nobody', mode: 'new_tab' });
    expect(ok.ok).toBe(true);
  });

  it('does not let one client’s bad commands disturb another', async () => {
    const peer = 'SIP/bystander.agent';
    const bystander = await connectClient(t.url, '/', { token: t.tokens.integration });
    const agent = await connectClient(t.url, '/agent', { token: await t.agentToken(peer) });
    const got = collect(agent, ['AgentCTI']);
    for (let i = 0; i < 50; i++) integration.emit('AgentCTI', { url: 'javascript:1', peer, mode: 'x' });
    integration.emit('AgentCTI', 'not an object');
    integration.emit('AgentCTI');
    const ack = (await bystander.timeout(3000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/b', peer, mode: 'new_tab' })) as Ack;
    expect(ack).toMatchObject({ ok: true, delivered: 1 });
    await until(() => got.length === 1, 3000, 'the bystander’s pop');
    expect(integration.connected && bystander.connected && agent.connected).toBe(true);
    bystander.close();
    agent.close();
  });

  it('carries out a command sent twice with the same id once', async () => {
    const peer = 'SIP/dedupe.agent';
    const agent = await connectClient(t.url, '/agent', { token: await t.agentToken(peer) });
    const got = collect(agent, ['AgentCTI']);
    const payload = { url: 'https://crm.example.test/dedupe', peer, mode: 'new_tab', id: 'client-id-42' };
    expect(await send('AgentCTI', payload)).toMatchObject({ ok: true, id: 'client-id-42', delivered: 1 });
    expect(await send('AgentCTI', payload)).toMatchObject({ ok: true, id: 'client-id-42', duplicate: true, delivered: 0 });
    await until(() => got.length === 1);
    agent.close();
  });
});

describe('outbox', () => {
  it('keeps a pop for an offline peer and delivers it on connect; resends unacknowledged ones on reconnect', async () => {
    const peer = 'SIP/offline.agent';
    const token = await t.agentToken(peer);
    const ttlHub = await startTestHub({ config: { outbox: { agentCtiTtlMs: 60_000 } } });
    const tok = await ttlHub.agentToken(peer);
    const integ = await connectClient(ttlHub.url, '/', { token: ttlHub.tokens.integration });
    const ack = (await integ.timeout(3000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/q', peer, mode: 'new_tab' })) as Ack;
    expect(ack).toMatchObject({ ok: true, delivered: 0, queued: 1 });

    const agent = await connectClient(ttlHub.url, '/agent', { token: tok });
    const first = await nextEvent<{ id: string }>(agent, 'AgentCTI');
    expect(first.id).toBe(ack.id);
    agent.close(); // never acknowledged

    const again = await connectClient(ttlHub.url, '/agent', { token: tok });
    const second = await nextEvent<{ id: string }>(again, 'AgentCTI');
    expect(second.id).toBe(ack.id);
    expect(await again.timeout(3000).emitWithAck('ack', { id: 'no-such-command' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await again.timeout(3000).emitWithAck('ack', { id: second.id })).toEqual({ ok: true });
    await until(async () => (await ttlHub.hub.store.pendingFor(peer, new Date().toISOString())).length === 0, 3000, 'ack stored');
    again.close();

    const third = await connectClient(ttlHub.url, '/agent', { token: tok });
    const late = collect(third, ['AgentCTI']);
    await ttlHub.hub.ingest([]);
    expect(late).toHaveLength(0);
    third.close();
    integ.close();
    await ttlHub.stop();
    expect(token).toBeTruthy();
  });

  it('drops pops whose time-to-live ran out and counts them in /metrics', async () => {
    const expired = async (): Promise<number> => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      return Number(/^shuttle_cti_commands_expired_total (\d+)$/m.exec(text)?.[1] ?? NaN);
    };
    await until(async () => (await t.hub.store.pendingFor('SIP/nobody', new Date(Date.now() + 1000).toISOString())).length === 0, 5000, 'older pops gone');
    const before = await expired();
    const peer = 'SIP/expiring.agent';
    const ack = await send('AgentCTI', { url: 'https://crm.example.test/late', peer, mode: 'new_tab' });
    expect(ack.queued).toBe(1);
    await until(async () => (await expired()) > before && (await t.hub.store.pendingFor(peer, new Date().toISOString())).length === 0, 5000, "expiry counted");
    const agent = await connectClient(t.url, '/agent', { token: await t.agentToken(peer) });
    const got = collect<{ id: string }>(agent, ['AgentCTI']);
    const fresh = await send('AgentCTI', { url: 'https://crm.example.test/fresh', peer, mode: 'new_tab' });
    await until(() => got.length >= 1, 3000, 'the fresh pop');
    expect(got.map((c) => c.id)).toEqual([fresh.id]);
    agent.close();
  });
});

describe('RealtimeCTI and supervisors', () => {
  it('stores a row, pushes it to supervisors, and serves it from GET /api/v1/realtime', async () => {
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    const row = nextEvent<Record<string, unknown>>(supervisor, 'RealtimeCTI');
    const { up } = await seedEvents();
    const ack = await send('RealtimeCTI', { type: 'SalesCRM', channel: up, reference: 'ticket-1', url: 'https://crm.example.test/t/1' });
    expect(ack.ok).toBe(true);
    const pushed = await row;
    expect(pushed).toMatchObject({ id: ack.id, type: 'SalesCRM', reference: 'ticket-1', url: 'https://crm.example.test/t/1' });
    expect((pushed['channel'] as Record<string, unknown>)['time']).toBeTruthy();
    const res = await fetch(`${t.url}/api/v1/realtime?type=SalesCRM&limit=5`, { headers: { authorization: `Bearer ${t.tokens.supervisor}` } });
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: { id: string }[] };
    expect(rows[0]?.id).toBe(ack.id);
    const refused = await fetch(`${t.url}/api/v1/realtime`, { headers: { authorization: `Bearer ${t.tokens.agent}` } });
    expect(refused.status).toBe(403);
    const badQuery = await fetch(`${t.url}/api/v1/realtime?limit=abc`, { headers: { authorization: `Bearer ${t.tokens.supervisor}` } });
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { error: { field: string } }).error.field).toBe('limit');
    supervisor.close();
  });

  it('gives a supervisor a snapshot of live calls, agents and rows, then live events', async () => {
    const { ringing, up } = await seedEvents();
    const uniqueid = 'snap-1';
    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    await t.ingest([{ ...ringing, uniqueid, peer: t.peer }]);
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor }).catch((e: unknown) => {
      throw e;
    });
    // connectClient resolves on welcome; the snapshot follows at once.
    const snapshot = await nextEvent<{ calls: { uniqueid: string; state: string }[]; agents: { peer: string; state: string }[]; stats: { calls: number } }>(supervisor, 'snapshot').catch(() => undefined);
    const snap = snapshot ?? (await nextEvent(supervisor, 'snapshot'));
    expect(snap).toBeTruthy();
    const liveUp = nextEvent<Record<string, unknown>>(supervisor, 'up');
    const agentUp = nextEvent<Record<string, unknown>>(agent, 'up');
    await t.ingest([{ ...up, uniqueid, peer: t.peer }]);
    expect((await liveUp)['uniqueid']).toBe(uniqueid);
    expect((await agentUp)['uniqueid']).toBe(uniqueid);
    agent.close();
    supervisor.close();
  });
});

describe('rate limits', () => {
  it('answers RATE_LIMITED past the per-connection rate, without disconnecting, and recovers', async () => {
    const limited = await startTestHub({ config: { limits: { commandsPerSecond: 5 } } });
    const socket = await connectClient(limited.url, '/', { token: limited.tokens.integration });
    const payload = { url: 'https://crm.example.test/r', peer: 'SIP/rate', mode: 'new_tab' };
    const acks = (await Promise.all(Array.from({ length: 30 }, () => socket.timeout(3000).emitWithAck('AgentCTI', payload)))) as Ack[];
    const refused = acks.filter((a) => a.error?.code === 'RATE_LIMITED');
    expect(refused.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.ok).length).toBeGreaterThan(0);
    expect(socket.connected).toBe(true);
    await until(async () => ((await socket.timeout(3000).emitWithAck('AgentCTI', payload)) as Ack).ok, 5000, 'bucket refilled');
    socket.close();
    await limited.stop();
  });
});
