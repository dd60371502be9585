import type { Snapshot, Welcome } from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, startTestHub, until, type TestHub } from '../helpers.js';
import { getJson, inScope, outboundCall, queueCall, scopedToken } from './helpers.js';

let t: TestHub | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

type Ev = { seq: number; event: string; queue?: string; peer?: string; uniqueid: string };
type Ack = { ok: boolean; error?: { code: string; field?: string } };
const send = (socket: Socket, name: string, payload: unknown): Promise<Ack> => new Promise((resolve) => socket.emit(name, payload, resolve));

const sales = { queues: ['Sales'], peers: ['SIP/outside'] };

/** Sales calls, Billing calls, and outbound calls of a Sales-scope peer and of another. */
const traffic = (): Record<string, unknown>[] => [
  ...queueCall('Sales', 'SIP/s1', true),
  ...queueCall('Billing', 'SIP/b1', true),
  ...queueCall('Sales', 'SIP/s2', false),
  ...queueCall('Billing', 'SIP/b1', false),
  outboundCall('SIP/outside'),
  outboundCall('SIP/b1'),
  ...queueCall('Billing', 'SIP/outside', true),
];

describe('scopes', () => {
  it('a scoped integration gets only its scope, live and on resume (seqs with gaps); an unscoped one everything, as before', async () => {
    t = await startTestHub();
    const token = await scopedToken(t, 'integration', sales);
    const scoped = await connectClient(t.url, '/', { token: token.secret });
    const welcome = await nextEvent<Welcome>(scoped, 'welcome');
    expect(welcome.scope).toEqual(sales);
    const everyone = await connectClient(t.url, '/', { token: t.tokens.integration });
    expect((await nextEvent<Welcome>(everyone, 'welcome')).scope).toBeUndefined();
    const names = ['ringing', 'up', 'hangup', 'abandon', 'outbound'];
    const got = collect<Ev>(scoped, names);
    const all = collect<Ev>(everyone, names);
    const results = await t.ingest(traffic());
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const total = results.length;
    await until(() => all.length === total, 5000, 'every event to the unscoped integration');
    const bySeq = (a: number, b: number): number => a - b;
    const expected = all.filter((e) => inScope(sales, e)).map((e) => e.seq).sort(bySeq);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(total);
    await until(() => got.length === expected.length, 5000, 'the scoped events');
    // The last in-scope event arrived after the others: nothing else is on its way.
    expect(got.map((e) => e.seq).sort(bySeq)).toEqual(expected);
    expect(got.every((e) => inScope(sales, e))).toBe(true);
    scoped.close();

    // Resume from before the traffic: the same events, no others.
    const first = Math.min(...all.map((e) => e.seq)) - 1;
    const resumed = await connectClient(t.url, '/', { token: token.secret, lastSeq: first });
    const replayed = collect<Ev>(resumed, names);
    await until(() => replayed.length === expected.length, 5000, 'the replay');
    expect(replayed.map((e) => e.seq).sort(bySeq)).toEqual(expected);
    resumed.close();
    everyone.close();
  });

  it("a scoped supervisor's snapshot, counters, presences and realtime rows are its scope's own", async () => {
    t = await startTestHub();
    const hub = t;
    // Traffic before it connects: its snapshot counters come from its scope's floor.
    await hub.ingest(traffic());
    await hub.ingest(queueCall('Sales', 'SIP/s3', true).slice(0, 2)); // a Sales call talking now
    await hub.ingest(queueCall('Billing', 'SIP/b2', true).slice(0, 2)); // a Billing one
    const token = await scopedToken(hub, 'supervisor', sales);
    const sup = await connectClient(hub.url, '/supervisor', { token: token.secret });
    expect((await nextEvent<Welcome>(sup, 'welcome')).scope).toEqual(sales);
    const snapshot = await nextEvent<Snapshot>(sup, 'snapshot');
    // Sales: 2 calls + 1 talking, and the Billing call SIP/outside (named) answered: 4 calls,
    // 3 answered, 1 abandoned; the outbound call of SIP/outside, not SIP/b1's.
    expect(snapshot.stats).toMatchObject({ calls: 4, answered: 3, abandoned: 1, outbound: 1 });
    expect(snapshot.calls.map((c) => c.queue)).toEqual(['Sales']);
    // Agents: members of Sales (from the calls seen) and the named peer.
    expect(snapshot.agents.map((a) => a.peer).sort()).toEqual(['SIP/outside', 'SIP/s1', 'SIP/s2', 'SIP/s3']);

    const everyone = await connectClient(hub.url, '/supervisor', { token: hub.tokens.supervisor });
    const all = await nextEvent<Snapshot>(everyone, 'snapshot');
    expect(all.stats).toMatchObject({ calls: 7, answered: 5, abandoned: 2, outbound: 2 });

    // Presences: the Billing agent's panel opening is not the scoped supervisor's business.
    const presences = collect<{ peer: string }>(sup, ['agent']);
    const allPresences = collect<{ peer: string }>(everyone, ['agent']);
    const billingPanel = await connectClient(hub.url, '/agent', { token: await hub.agentToken('SIP/b1') });
    const salesPanel = await connectClient(hub.url, '/agent', { token: await hub.agentToken('SIP/s1') });
    await until(() => allPresences.some((p) => p.peer === 'SIP/s1') && presences.some((p) => p.peer === 'SIP/s1'), 5000, 'the Sales presence');
    expect(allPresences.some((p) => p.peer === 'SIP/b1')).toBe(true);
    expect(presences.map((p) => p.peer)).not.toContain('SIP/b1');

    // Realtime rows: by channel.queue or channel.peer.
    const rows = collect<{ reference: string }>(sup, ['RealtimeCTI']);
    const allRows = collect<{ reference: string }>(everyone, ['RealtimeCTI']);
    const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    for (const [reference, channel] of [
      ['billing', { queue: 'Billing', peer: 'SIP/b1' }],
      ['by-peer', { queue: 'Billing', peer: 'SIP/outside' }],
      ['sales', { queue: 'Sales' }],
    ] as const) {
      expect((await send(integration, 'RealtimeCTI', { type: 'crm', channel, reference })).ok).toBe(true);
    }
    await until(() => allRows.length === 3 && rows.length === 2, 5000, 'the rows');
    expect(rows.map((r) => r.reference)).toEqual(['by-peer', 'sales']);
    const http = await getJson<{ rows: { reference: string }[]; scanned: number }>(hub, '/api/v1/realtime', token.secret);
    expect(http.status).toBe(200);
    expect(http.body.rows.map((r) => r.reference)).toEqual(['sales', 'by-peer']);
    // A reconnecting scoped supervisor's snapshot has its rows only.
    const again = await connectClient(hub.url, '/supervisor', { token: token.secret });
    expect((await nextEvent<Snapshot>(again, 'snapshot')).realtime.map((r) => r.reference)).toEqual(['sales', 'by-peer']);
    for (const s of [sup, everyone, billingPanel, salesPanel, integration, again]) s.close();
  });

  it('HTTP reads: events with a scanned cursor, and reports of its queues and agents only', async () => {
    t = await startTestHub();
    const hub = t;
    await hub.ingest(traffic());
    const token = await scopedToken(hub, 'supervisor', sales);
    const read = await getJson<{ events: Ev[]; scanned: number }>(hub, '/api/v1/events?after=0&limit=2', token.secret);
    expect(read.status).toBe(200);
    expect(read.body.events).toHaveLength(2);
    expect(read.body.events.every((e) => inScope(sales, e))).toBe(true);
    expect(read.body.scanned).toBe(read.body.events[1]?.seq);
    const rest = await getJson<{ events: Ev[]; scanned: number }>(hub, `/api/v1/events?after=${read.body.scanned}&limit=100`, token.secret);
    const { last } = await hub.hub.store.seqRange();
    expect(rest.body.scanned).toBe(last);
    const everything = await getJson<{ events: Ev[]; scanned?: number }>(hub, '/api/v1/events?after=0&limit=100', hub.tokens.supervisor);
    expect(everything.body.scanned).toBeUndefined();
    expect([...read.body.events, ...rest.body.events].map((e) => e.seq)).toEqual(everything.body.events.filter((e) => inScope(sales, e)).map((e) => e.seq));

    const queues = await getJson<{ rows: { queue: string }[] }>(hub, '/api/v1/reports/queues', token.secret);
    expect(queues.status).toBe(200);
    expect(queues.body.rows.map((r) => r.queue)).toEqual(['Sales']);
    const allQueues = await getJson<{ rows: { queue: string }[] }>(hub, '/api/v1/reports/queues', hub.tokens.supervisor);
    expect(allQueues.body.rows.map((r) => r.queue)).toContain('Billing');
    const agents = await getJson<{ rows: { peer: string }[] }>(hub, '/api/v1/reports/agents', token.secret);
    expect(agents.body.rows.length).toBeGreaterThan(0);
    expect(agents.body.rows.map((r) => r.peer).filter((p) => p === 'SIP/b1')).toEqual([]);
  });

  it('commands outside the scope are FORBIDDEN; an unknown call is NOT_FOUND', async () => {
    t = await startTestHub();
    const hub = t;
    await hub.ingest(traffic());
    const sup = await connectClient(hub.url, '/supervisor', { token: (await scopedToken(hub, 'supervisor', sales)).secret });
    const int = await connectClient(hub.url, '/', { token: (await scopedToken(hub, 'integration', sales)).secret });
    const url = 'https://crm.example.test/x';
    // A member of Sales (rung for it), a named peer: allowed; a Billing agent: not.
    expect((await send(int, 'AgentCTI', { peer: 'SIP/s1', url, mode: 'new_frame' })).ok).toBe(true);
    expect((await send(int, 'AgentCTI', { peer: 'SIP/outside', url, mode: 'new_frame' })).ok).toBe(true);
    expect(await send(int, 'AgentCTI', { peer: 'SIP/b1', url, mode: 'new_frame' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'peer' } });
    expect(await send(int, 'AgentCTINotification', { peer: 'SIP/b1', type: 'info', title: 't', body: 'b' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await send(int, 'RealtimeCTI', { type: 'crm', channel: { queue: 'Billing' }, reference: 'r' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'channel' } });
    const billingCall = traffic()[3]?.['uniqueid'];
    const [salesRinging] = queueCall('Sales', 'SIP/s1', true);
    await hub.ingest([salesRinging]);
    const salesCall = salesRinging?.['uniqueid'];
    const { events } = (await getJson<{ events: Ev[] }>(hub, '/api/v1/events?after=0&limit=100', hub.tokens.supervisor)).body;
    const billing = events.find((e) => e.queue === 'Billing')?.uniqueid ?? String(billingCall);
    expect(await send(int, 'CustomVariables', { uniqueid: billing })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await send(int, 'CustomVariables', { uniqueid: 'no-such-call' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await send(int, 'CustomVariables', { uniqueid: salesCall })).ok).toBe(true);
    // Call control: checked before the PBX (this hub has none: in scope is NOT_SUPPORTED).
    expect(await send(sup, 'CallHangup', { uniqueid: billing })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await send(sup, 'CallHangup', { uniqueid: 'no-such-call' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await send(sup, 'CallHangup', { uniqueid: salesCall })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    expect(await send(sup, 'AgentPause', { peer: 'SIP/b1', paused: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await send(sup, 'AgentPause', { peer: 'SIP/s1', paused: true })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    // AgentQueue: a queue of the scope, or a peer it names.
    expect(await send(sup, 'AgentQueue', { peer: 'SIP/b1', queue: 'Billing', member: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await send(sup, 'AgentQueue', { peer: 'SIP/b1', queue: 'Sales', member: true })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    expect(await send(sup, 'AgentQueue', { peer: 'SIP/outside', queue: 'Billing', member: true })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    // The same over HTTP.
    const res = await fetch(`${hub.url}/api/v1/calls/${encodeURIComponent(billing)}/hangup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(await scopedToken(hub, 'integration', sales)).secret}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    sup.close();
    int.close();
  });

  it('a scope change reaches connected sessions within the re-check interval', async () => {
    t = await startTestHub({ config: { tokenRecheckMs: 50 } });
    const hub = t;
    const supToken = await scopedToken(hub, 'supervisor', { queues: ['Sales'], peers: [] });
    const intToken = await scopedToken(hub, 'integration', { queues: ['Sales'], peers: [] });
    const sup = await connectClient(hub.url, '/supervisor', { token: supToken.secret });
    const int = await connectClient(hub.url, '/', { token: intToken.secret });
    await nextEvent(sup, 'snapshot');
    const welcomes = collect<Welcome>(sup, ['welcome']);
    const intWelcomes = collect<Welcome>(int, ['welcome']);
    const got = collect<Ev>(int, ['ringing']);
    const billing = { queues: ['Billing'], peers: [] };
    expect(await hub.hub.store.setTokenScope(supToken.id, billing)).toBe(true);
    expect(await hub.hub.store.setTokenScope(intToken.id, billing)).toBe(true);
    // The supervisor gets a new welcome and snapshot of its new scope.
    await until(() => welcomes.length === 2, 5000, 'the new welcome');
    expect(welcomes[1]?.scope).toEqual(billing);
    const snap = await nextEvent<Snapshot>(sup, 'snapshot');
    expect(snap.stats.calls).toBe(0);
    // The integration follows (no new welcome): a Sales ringing, then Billing ones until one arrives.
    await until(async () => {
      await hub.ingest([queueCall('Sales', 'SIP/s1', false)[0], queueCall('Billing', 'SIP/b1', false)[0]]);
      return got.some((e) => e.queue === 'Billing');
    }, 5000, 'a Billing event');
    const firstBilling = got.findIndex((e) => e.queue === 'Billing');
    expect(got.slice(firstBilling).every((e) => e.queue === 'Billing')).toBe(true);
    expect(intWelcomes).toHaveLength(1);
    // Cleared: everything again.
    expect(await hub.hub.store.setTokenScope(intToken.id, null)).toBe(true);
    await until(async () => {
      await hub.ingest([queueCall('Support', 'SIP/x', false)[0]]);
      return got.some((e) => e.queue === 'Support');
    }, 5000, 'an event of any queue');
    sup.close();
    int.close();
  });
});
