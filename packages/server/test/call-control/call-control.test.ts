import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, startTestHub, until } from '../helpers.js';
import { hubWithPbx, post, send } from './helpers.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup(name: string, options: Parameters<typeof hubWithPbx>[1] = {}) {
  const env = await hubWithPbx(name, options);
  cleanup.push(() => env.close());
  return env;
}

async function client(url: string, ns: '/' | '/agent' | '/supervisor', token: string, lastSeq?: number) {
  const socket = await connectClient(url, ns, { token, ...(lastSeq === undefined ? {} : { lastSeq }) });
  cleanup.push(async () => void socket.close());
  return socket;
}

const actionNames = (actions: Array<Record<string, unknown>>) => actions.map((a) => a['Action']).filter((a) => a !== 'QueueStatus' && a !== 'CoreShowChannels');

describe('call control through the hub', () => {
  it('CallDial: the ack carries the uniqueid that the call\'s outbound event has', async () => {
    const { hub, pbx } = await setup('c1-click-to-dial');
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const outbound = collect<{ uniqueid: string }>(integration, ['outbound']);
    const ack = await send(integration, 'CallDial', {
      peer: 'IAX2/1000',
      number: '0298765432',
      callerid: '"Andrea Bianco" <1000>',
      variables: { ordernumber: 'ORD-1', customerid: 'C-1' },
    });
    expect(ack).toMatchObject({ ok: true, uniqueid: expect.stringMatching(/^cti-/) as string });
    await until(() => outbound.length > 0, 10_000, 'the outbound event');
    expect(outbound[0]?.uniqueid).toBe(ack.ok ? ack.uniqueid : 'no');
    expect(pbx.mismatches).toEqual([]);
  });

  it('AgentPause: the agent pauses itself with a reason; agentstate goes to integrations, supervisors and that agent, stored and resumable', async () => {
    const { hub, pbx } = await setup('c5-pause-with-reason');
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const supervisor = await client(hub.url, '/supervisor', hub.tokens.supervisor);
    const agent = await client(hub.url, '/agent', hub.tokens.agent);
    const other = await client(hub.url, '/agent', await hub.agentToken('IAX2/1001'));
    const got = {
      integration: collect(integration, ['agentstate']),
      supervisor: collect(supervisor, ['agentstate']),
      agent: collect(agent, ['agentstate']),
      other: collect(other, ['agentstate']),
    };
    const presence = collect<{ peer: string; paused?: boolean; reason?: string; pausedSince?: string; queues?: string[] }>(supervisor, ['agent']);

    expect(await send(agent, 'AgentPause', { peer: 'IAX2/1000', paused: true, reason: 'Lunch' })).toMatchObject({ ok: true });
    await until(() => got.agent.length >= 2 && got.integration.length >= 2 && got.supervisor.length >= 2, 10_000, 'agentstate everywhere');
    expect(got.integration[0]).toMatchObject({ event: 'agentstate', peer: 'IAX2/1000', agentname: 'Andrea Bianco', queue: 'Support', member: true, paused: true, reason: 'Lunch', agentstate: true });
    expect(typeof (got.integration[0] as { seq: unknown }).seq).toBe('number');
    const paused = await until(() => presence.find((p) => p.peer === 'IAX2/1000' && p.paused && p.queues?.length === 2), 5000, 'presence');
    expect(paused).toMatchObject({ paused: true, reason: 'Lunch', queues: ['Sales', 'Support'] });
    expect(Date.parse(paused?.pausedSince ?? '')).not.toBeNaN();
    expect(got.other).toEqual([]);

    // Resumable: a late integration resuming from 0 gets the stored agentstate events.
    const late = await client(hub.url, '/', hub.tokens.integration, 0);
    const replayed = collect(late, ['agentstate']);
    await until(() => replayed.length >= 2, 5000, 'replayed agentstate');

    // The rest of the recording, over HTTP with the integration token.
    const path = `/api/v1/agents/${encodeURIComponent('IAX2/1000')}/pause`;
    expect(await post(hub, path, hub.tokens.integration, { paused: false })).toMatchObject({ status: 200, body: { ok: true } });
    expect((await post(hub, path, hub.tokens.integration, { paused: true, reason: 'Backoffice', queue: 'Sales' })).status).toBe(200);
    expect((await post(hub, path, hub.tokens.integration, { paused: false, queue: 'Sales' })).status).toBe(200);
    expect(pbx.mismatches).toEqual([]);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/shuttle_cti_call_control_total\{action="AgentPause",result="ok"\} 4/);
  });

  it('refuses FORBIDDEN what a role may not do, and nothing refused reaches the PBX', async () => {
    const { hub, pbx } = await setup('c2b-hangup-agent');
    const agent = await client(hub.url, '/agent', hub.tokens.agent);
    const supervisor = await client(hub.url, '/supervisor', hub.tokens.supervisor);
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const ups = collect<{ uniqueid: string; peer: string }>(integration, ['up']);
    await until(() => ups.length > 0, 10_000, 'the call is up');
    const uniqueid = ups[0]?.uniqueid ?? '';
    const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };
    // Agent IAX2/1000 is not on the call (IAX2/1002 is), and acts on its own peer only.
    expect(await send(agent, 'CallHangup', { uniqueid })).toMatchObject(forbidden);
    expect(await send(agent, 'CallTransfer', { uniqueid, to: '7000', mode: 'blind' })).toMatchObject(forbidden);
    expect(await send(agent, 'AgentPause', { peer: 'IAX2/1002', paused: true })).toMatchObject(forbidden);
    expect(await send(agent, 'CallDial', { peer: 'IAX2/1002', number: '123' })).toMatchObject(forbidden);
    expect(await send(agent, 'AgentQueue', { peer: 'IAX2/1000', queue: 'Sales', member: true })).toMatchObject(forbidden);
    expect(await send(supervisor, 'CallDial', { peer: 'IAX2/1000', number: '123' })).toMatchObject(forbidden);
    expect(await send(supervisor, 'CallTransfer', { uniqueid, to: '7000', mode: 'blind' })).toMatchObject(forbidden);
    const http = await post(hub, `/api/v1/calls/${uniqueid}/hangup`, hub.tokens.source, {});
    expect(http).toMatchObject({ status: 403, body: forbidden });
    expect(actionNames(pbx.actions)).toEqual([]);

    // The agent on the call may hang it up: its own leg, as the recording (c2b) does; Asterisk then says agent.
    const giulia = await client(hub.url, '/agent', await hub.agentToken('IAX2/1002'));
    const hangups = collect<{ reason: string }>(integration, ['hangup']);
    expect(await send(giulia, 'CallHangup', { uniqueid })).toMatchObject({ ok: true });
    expect(actionNames(pbx.actions)).toEqual(['Hangup']);
    expect(pbx.actions.find((a) => a['Action'] === 'Hangup')?.['Channel']).toMatch(/^IAX2\/1002-/);
    await until(() => hangups.length > 0, 10_000, 'the hangup');
    expect(hangups[0]?.reason).toBe('agent');
    expect(pbx.mismatches).toEqual([]);
  });

  it('a supervisor hangs up a call over HTTP; an unknown call is NOT_FOUND', async () => {
    const { hub, pbx } = await setup('c2-hangup-caller');
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const ups = collect<{ uniqueid: string }>(integration, ['up']);
    await until(() => ups.length > 0, 10_000, 'the call is up');
    const missing = await post(hub, '/api/v1/calls/1234.5/hangup', hub.tokens.supervisor, {});
    expect(missing).toMatchObject({ status: 404, body: { ok: false, error: { code: 'NOT_FOUND' } } });
    const done = await post(hub, `/api/v1/calls/${ups[0]?.uniqueid ?? ''}/hangup`, hub.tokens.supervisor, {});
    expect(done).toMatchObject({ status: 200, body: { ok: true } });
    expect(pbx.mismatches).toEqual([]);
  });

  it('a blind CallTransfer over HTTP redirects the caller, and its hangup says transfer', async () => {
    const { hub, pbx } = await setup('c3-redirect-caller');
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const ups = collect<{ uniqueid: string }>(integration, ['up']);
    const hangups = collect<{ reason: string }>(integration, ['hangup']);
    await until(() => ups.length > 0, 10_000, 'the call is up');
    const r = await post(hub, `/api/v1/calls/${ups[0]?.uniqueid ?? ''}/transfer`, hub.tokens.integration, { to: '7000', mode: 'blind' });
    expect(r).toMatchObject({ status: 200, body: { ok: true } });
    await until(() => hangups.length > 0, 10_000, 'the hangup');
    expect(hangups[0]?.reason).toBe('transfer');
    expect(pbx.mismatches).toEqual([]);
  });

  it('AgentQueue: a PBX error comes back with its text; agents may manage queues only when the hub allows it', async () => {
    const { hub, pbx } = await setup('c6-queue-add-remove', { skip: ['QueueStatus', 'QueueSummary'], hub: { peer: 'IAX2/1003', config: { agentsManageQueues: true } } });
    const agent = await client(hub.url, '/agent', hub.tokens.agent);
    expect(await send(agent, 'AgentQueue', { peer: 'IAX2/1003', queue: 'Sales', member: true, name: 'Luca Neri', penalty: 0 })).toMatchObject({ ok: true });
    const r = await post(hub, `/api/v1/agents/${encodeURIComponent('IAX2/1003')}/queues`, hub.tokens.supervisor, { queue: 'Sales', member: false });
    expect(r).toMatchObject({ status: 200, body: { ok: true } });
    expect(pbx.mismatches).toEqual([]);
  });

  it('an agent\'s welcome carries its pause state and queues as the hub knows them (after the resync, recording c8)', async () => {
    const { hub, pbx } = await setup('c8-resync-sees-pause', { conns: [2], hub: { peer: 'IAX2/1001' } });
    // Resuming from 0, an integration gets the stored agentstate events, whenever they came.
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const states = collect<{ peer: string; paused: boolean }>(integration, ['agentstate']);
    await until(() => states.filter((e) => e.peer === 'IAX2/1001').length >= 2, 10_000, 'the resync\'s agentstate');
    const agent = await client(hub.url, '/agent', hub.tokens.agent);
    const welcome = await nextEvent<{ agent?: Record<string, unknown> }>(agent, 'welcome');
    expect(welcome.agent).toMatchObject({ paused: true, reason: 'Training', queues: ['Billing', 'Sales'], pausedQueues: ['Billing', 'Sales'] });
    expect(Date.parse(String(welcome.agent?.['pausedSince']))).not.toBeNaN();
    // Once unpaused (the rest of the recording), a new connection's welcome says so.
    expect(await send(agent, 'AgentPause', { peer: 'IAX2/1001', paused: false })).toMatchObject({ ok: true });
    await until(() => states.filter((e) => e.peer === 'IAX2/1001' && !e.paused).length >= 2, 10_000, 'unpaused');
    const again = await client(hub.url, '/agent', hub.tokens.agent);
    const second = await nextEvent<{ agent?: Record<string, unknown> }>(again, 'welcome');
    expect(second.agent).toEqual({ paused: false, queues: ['Billing', 'Sales'], pausedQueues: [] });
    // An agent the hub knows nothing about gets no state.
    const stranger = await client(hub.url, '/agent', await hub.agentToken('IAX2/1077'));
    expect((await nextEvent<{ agent?: unknown }>(stranger, 'welcome')).agent).toBeUndefined();
    expect(pbx.mismatches).toEqual([]);
  });

  it('PBX_ERROR carries the PBX\'s own text', async () => {
    const { hub } = await setup('c4a-atxfer-without-feature-code');
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    const ups = collect<{ uniqueid: string }>(integration, ['up']);
    await until(() => ups.length > 0, 10_000, 'the call is up');
    expect(await send(integration, 'CallTransfer', { uniqueid: ups[0]?.uniqueid, to: '7000', mode: 'attended' })).toEqual({
      ok: false,
      error: { code: 'PBX_ERROR', message: 'No attended transfer feature code found' },
    });
  });

  it('NOT_SUPPORTED without a source that can control calls', async () => {
    const hub = await startTestHub();
    cleanup.push(() => hub.stop());
    const integration = await client(hub.url, '/', hub.tokens.integration, 0);
    expect(await send(integration, 'CallDial', { peer: 'SIP/a', number: '1' })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    expect((await post(hub, '/api/v1/calls', hub.tokens.integration, { peer: 'SIP/a', number: '1' })).status).toBe(501);
  });
});
