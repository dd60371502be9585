import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, startTestHub, until, type TestHub } from '../helpers.js';
import { countDeliveries, metricValue, printCounts } from './counts.js';

type Ack = { ok: boolean; id?: string; delivered?: number; queued?: number };
type Delivery = { id: string };

const ttlMs = 5000;
let t: TestHub;
let integration: Socket;
beforeAll(async () => {
  t = await startTestHub({ config: { outbox: { agentCtiTtlMs: ttlMs, notificationTtlMs: 300_000, sweepIntervalMs: 100 } } });
  integration = await connectClient(t.url, '/', { token: t.tokens.integration });
});
afterAll(async () => {
  integration.close();
  await t.stop();
});

const send = (command: string, payload: object): Promise<Ack> => integration.timeout(5000).emitWithAck(command, payload) as Promise<Ack>;
const pop = (n: string) => send('AgentCTI', { url: `https://crm.example.test/pop/${n}`, peer: t.peer, mode: 'new_frame' });
const note = (n: string) => send('AgentCTINotification', { peer: t.peer, type: 'info', title: `call ${n}`, body: 'waiting' });
const agentSessions = () => t.hub.io.of('/agent').sockets.size;

describe('fault: agent offline for a while', () => {
  it('gets the pops still within their time-to-live on reconnect, not the expired ones, which /metrics counts', async () => {
    const expiredBefore = await metricValue(t.url, 'shuttle_cti_commands_expired_total');

    // Online: one pop, shown and acknowledged; it must never come back.
    const first = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const shown = collect<Delivery>(first, ['AgentCTI']);
    const acked = await pop('online');
    await until(() => shown.length === 1, 5000, 'the online pop');
    first.emit('ack', { id: acked.id });
    await until(async () => !(await t.hub.store.pendingFor(t.peer, new Date().toISOString())).some((i) => i.id === acked.id), 5000, 'ack stored');
    first.close();
    await until(() => agentSessions() === 0, 5000, 'the hub saw the agent go');

    // Offline, early: these pops outlive their time-to-live before the agent is back.
    const expired: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ack = await pop(`early-${i}`);
      expect(ack).toMatchObject({ ok: true, delivered: 0, queued: 1 });
      expired.push(ack.id as string);
    }
    await until(async () => (await metricValue(t.url, 'shuttle_cti_commands_expired_total')) - expiredBefore >= expired.length, ttlMs + 10_000, 'expiry counted');

    // Offline, late: pops and notifications still within their time-to-live.
    const fresh: string[] = [];
    for (let i = 0; i < 5; i++) fresh.push((await pop(`late-${i}`)).id as string, (await note(`late-${i}`)).id as string);

    const back = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const arrivals = collect<Delivery>(back, ['AgentCTI', 'AgentCTINotification']);
    await until(() => arrivals.length >= fresh.length, 5000, 'queued commands on reconnect');
    // A live pop sent now arrives after anything queued, so by then every queued one has been sent.
    const marker = await pop('marker');
    await until(() => arrivals.some((a) => a.id === marker.id), 5000, 'the marker');
    for (const a of arrivals) back.emit('ack', { id: a.id });

    const ids = arrivals.map((a) => a.id).filter((id) => id !== marker.id);
    const counts = countDeliveries(fresh, ids);
    const expiredDelivered = ids.filter((id) => expired.includes(id) || id === acked.id).length;
    const expiredCounted = (await metricValue(t.url, 'shuttle_cti_commands_expired_total')) - expiredBefore;
    printCounts('agent offline', { ...counts, expiredSent: expired.length, expiredDelivered, expiredCounted });
    expect(counts).toMatchObject({ sent: 10, received: 10, lost: 0, duplicated: 0, extra: 0 });
    expect(expiredDelivered).toBe(0);
    expect(expiredCounted).toBe(expired.length);
    back.close();
  });
});
