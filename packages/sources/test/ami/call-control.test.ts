import { CtiError, type AgentStateInput, type CallEventInput } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createAmiCallControl } from '../../src/ami/call-control.js';
import { createChannelIndex } from '../../src/ami/channel-index.js';
import { createAmiClient } from '../../src/ami/client.js';
import { createAmiSource, type AmiSourceOptions } from '../../src/ami/source.js';
import { actionFixturesDir, loadActionTranscript, startActionAmiServer, type ActionAmiServer } from './action-ami-server.js';
import { until } from './helpers.js';
import { withoutIds } from './transcripts.js';
import { readFileSync } from 'node:fs';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function pbx(name: string, skip?: string[], conns?: number[]): Promise<ActionAmiServer> {
  const lines = loadActionTranscript(name).filter((l) => conns === undefined || conns.includes(l.conn));
  const server = await startActionAmiServer({ lines, ...(skip ? { skip } : {}) });
  cleanup.push(() => server.close());
  return server;
}

async function source(server: ActionAmiServer, options: Partial<AmiSourceOptions> = {}) {
  const events: CallEventInput[] = [];
  const states: AgentStateInput[] = [];
  const s = createAmiSource({
    host: '127.0.0.1',
    port: server.port,
    username: 'cti',
    secret: 'ctisecret',
    customVariables: ['ordernumber', 'customerid'],
    sink: { emit: async (event) => void events.push(event), agentState: async (state) => void states.push(state) },
    reconnect: { initialMs: 10, maxMs: 80 },
    ...options,
  });
  cleanup.push(() => s.stop());
  await s.start();
  return { source: s, events, states };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CtiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Replays `name`: once the call is up, the agent hangs up its own leg; resolves when the recording has been played out. */
async function agentHangsUp(name: string) {
  const server = await pbx(name);
  const { source: s, events } = await source(server);
  await until(() => events.some((e) => e.event === 'up'), 'the call is up');
  const up = events.find((e) => e.event === 'up');
  await s.control.hangup({ uniqueid: up?.uniqueid ?? '' }, 'agent');
  await until(() => events.some((e) => e.event === 'hangup'), 'the hangup');
  await server.replayed;
  return { server, events };
}

const expected = (name: string) => JSON.parse(readFileSync(`${actionFixturesDir}/${name}.expected.json`, 'utf8')) as CallEventInput[];

describe('call control against the recorded Asterisk', () => {
  it('c1: CallDial originates with the hub\'s ChannelId, answers with it, and the outbound event carries it', async () => {
    const server = await pbx('c1-click-to-dial');
    const { source: s, events } = await source(server);
    const result = await s.control.dial({
      peer: 'IAX2/1000',
      number: '0298765432',
      callerid: '"Andrea Bianco" <1000>',
      variables: { ordernumber: 'ORD-1', customerid: 'C-1' },
      channelId: 'cti-test-dial-1',
    });
    expect(result).toEqual({ uniqueid: 'cti-test-dial-1' });
    await until(() => events.some((e) => e.event === 'outbound'), 'the outbound event');
    const [want] = expected('c1-click-to-dial');
    // The source's event id (derived from the PBX's identifiers) is checked by the transcript tests.
    const { eventid, ...outbound } = events.find((e) => e.event === 'outbound') ?? {};
    expect(eventid).toMatch(/^ami:cti-test-dial-1:outbound/);
    expect(outbound).toEqual({ ...want, uniqueid: 'cti-test-dial-1' });
    expect(server.mismatches).toEqual([]);
  });

  it('c2: CallHangup hangs up the caller\'s channel of the call', async () => {
    const server = await pbx('c2-hangup-caller');
    const { source: s, events } = await source(server);
    await until(() => events.some((e) => e.event === 'up'), 'the call is up');
    const up = events.find((e) => e.event === 'up');
    await s.control.hangup({ uniqueid: up?.uniqueid ?? '' });
    await until(() => events.some((e) => e.event === 'hangup'), 'the hangup');
    expect(server.mismatches).toEqual([]);
    expect(await refusal(s.control.hangup({ uniqueid: 'no-such-call' }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('c2b: an agent\'s CallHangup hangs up its own leg; the call ends with the recorded events, reason agent', async () => {
    const { server, events } = await agentHangsUp('c2b-hangup-agent');
    expect(withoutIds(events)).toEqual(expected('c2b-hangup-agent'));
    expect(server.mismatches).toEqual([]);
  });

  it('c2c: an AgentComplete with only Queue and Interface (both channels gone) still closes the member\'s call', async () => {
    const { server, events } = await agentHangsUp('c2c-hangup-agent-race');
    const call = { queue: 'Support2', agentname: 'Giulia Verdi', agentnum: '1002', peer: 'IAX2/1002', direction: 'inbound', uniqueid: '1796236564.4', callernum: '3331239876', callername: 'Nora Grigi' };
    // As the recording says: rung, answered after 1 s, talked 2 s; Asterisk saw the caller's channel go first.
    expect(events.map((e) => e.event)).toEqual(['ringing', 'up', 'hangup']);
    expect(events[0]).toMatchObject(call);
    expect(events[1]).toMatchObject({ ...call, holdtime: '1', ringtime: '1' });
    expect(events[2]).toMatchObject({ ...call, holdtime: '1', ringtime: '1', talktime: '2', reason: 'caller', channel: 'IAX2/pstn-10375' });
    expect(server.mismatches).toEqual([]);
  });

  it('c3: a blind CallTransfer redirects the caller into the transfer context, and the hangup says transfer', async () => {
    const server = await pbx('c3-redirect-caller');
    const { source: s, events } = await source(server, { transferContext: 'transfer-target' });
    await until(() => events.some((e) => e.event === 'up'), 'the call is up');
    const up = events.find((e) => e.event === 'up');
    await s.control.transfer({ uniqueid: up?.uniqueid ?? '', to: '7000', mode: 'blind' });
    await until(() => events.some((e) => e.event === 'hangup'), 'the hangup');
    expect(events.find((e) => e.event === 'hangup')).toMatchObject({ reason: 'transfer' });
    expect(server.mismatches).toEqual([]);
  });

  it('c4: an attended CallTransfer sends Atxfer on the agent\'s channel; the agent leaving during the consultation completes it: hangup reason transfer', async () => {
    const server = await pbx('c4-atxfer-completed');
    const { source: s, events } = await source(server, { transferContext: 'transfer-target' });
    await until(() => events.some((e) => e.event === 'up'), 'the call is up');
    const up = events.find((e) => e.event === 'up');
    await s.control.transfer({ uniqueid: up?.uniqueid ?? '', to: '7000', mode: 'attended' });
    // The agent hangs up its own leg while consulting 7000 (Asterisk's AgentComplete says agent).
    await s.control.hangup({ uniqueid: up?.uniqueid ?? '' }, 'agent');
    await until(() => events.some((e) => e.event === 'hangup'), 'the hangup');
    await server.replayed;
    expect(events.filter((e) => e.event === 'hangup')).toEqual([expect.objectContaining({ uniqueid: up?.uniqueid, reason: 'transfer' })]);
    expect(server.actions.map((a) => a['Action']).filter((a) => a !== 'QueueStatus' && a !== 'CoreShowChannels')).toEqual(['Atxfer', 'Hangup']);
    expect(server.mismatches).toEqual([]);
  });

  it('c4b: CallTransfer mode cancel sends CancelAtxfer on the agent\'s channel; the call goes on and its hangup keeps the caller\'s reason', async () => {
    const server = await pbx('c4b-atxfer-cancelled');
    const { source: s, events } = await source(server, { transferContext: 'transfer-target' });
    await until(() => events.some((e) => e.event === 'up'), 'the call is up');
    const up = events.find((e) => e.event === 'up');
    await s.control.transfer({ uniqueid: up?.uniqueid ?? '', to: '7000', mode: 'attended' });
    await s.control.transfer({ uniqueid: up?.uniqueid ?? '', mode: 'cancel' });
    await until(() => events.some((e) => e.event === 'hangup'), 'the hangup');
    await server.replayed;
    expect(events.filter((e) => e.event === 'hangup')).toEqual([expect.objectContaining({ uniqueid: up?.uniqueid, reason: 'caller' })]);
    const cancel = server.actions.find((a) => a['Action'] === 'CancelAtxfer');
    expect(cancel?.['Channel']).toMatch(/^IAX2\/1002-/);
    expect(server.mismatches).toEqual([]);
  });

  for (const name of ['c4c-atxfer-target-hangs-up', 'c4e-atxfer-announcement-missing']) {
    it(`${name.slice(0, 3)}: a consultation that ends without a transfer (Unhold) leaves the call's hangup reason as Asterisk says`, async () => {
      const server = await pbx(name);
      const { source: s, events } = await source(server, { transferContext: 'transfer-target' });
      await until(() => events.some((e) => e.event === 'up'), 'the call is up');
      const up = events.find((e) => e.event === 'up');
      await s.control.transfer({ uniqueid: up?.uniqueid ?? '', to: '7000', mode: 'attended' });
      await server.replayed;
      await until(() => events.some((e) => e.event === 'hangup'), 'the hangup');
      const [want] = expected(name).filter((e) => e.event === 'hangup');
      expect(events.find((e) => e.event === 'hangup')).toMatchObject({ reason: (want as { reason: string }).reason });
      expect((want as { reason: string }).reason).not.toBe('transfer');
      expect(server.mismatches).toEqual([]);
    });
  }

  it('c4a: Atxfer without a feature code is PBX_ERROR with the PBX\'s text', async () => {
    const server = await pbx('c4a-atxfer-without-feature-code');
    const { source: s, events } = await source(server, { transferContext: 'transfer-target' });
    await until(() => events.some((e) => e.event === 'up'), 'the call is up');
    const up = events.find((e) => e.event === 'up');
    expect(await refusal(s.control.transfer({ uniqueid: up?.uniqueid ?? '', to: '7000', mode: 'attended' }))).toEqual({
      code: 'PBX_ERROR',
      message: 'No attended transfer feature code found',
    });
  });

  it('c5: AgentPause with a reason, in every queue and in one, becomes agentstate per queue', async () => {
    const server = await pbx('c5-pause-with-reason');
    const { source: s, states } = await source(server);
    await s.control.pause({ peer: 'IAX2/1000', paused: true, reason: 'Lunch' });
    await until(() => states.filter((e) => e.paused).length >= 2, 'paused in both queues');
    expect(states.filter((e) => e.paused).map((e) => [e.queue, e.reason])).toEqual([
      ['Support', 'Lunch'],
      ['Sales', 'Lunch'],
    ]);
    await s.control.pause({ peer: 'IAX2/1000', paused: false });
    await s.control.pause({ peer: 'IAX2/1000', paused: true, reason: 'Backoffice', queue: 'Sales' });
    await s.control.pause({ peer: 'IAX2/1000', paused: false, queue: 'Sales' });
    await server.replayed;
    await until(() => states.some((e) => e.reason === 'Backoffice'), 'paused in Sales');
    const last = states.filter((e) => e.peer === 'IAX2/1000').at(-1);
    expect(last).toMatchObject({ event: 'agentstate', peer: 'IAX2/1000', agentname: 'Andrea Bianco', queue: 'Sales', member: true, paused: false });
    expect(last).not.toHaveProperty('reason');
    expect(server.mismatches).toEqual([]);
  });

  it('c6: AgentQueue joins and leaves a queue', async () => {
    const server = await pbx('c6-queue-add-remove', ['QueueStatus', 'QueueSummary']);
    const { source: s, states } = await source(server);
    await s.control.queue({ peer: 'IAX2/1003', queue: 'Sales', member: true, name: 'Luca Neri', penalty: 0 });
    await until(() => states.some((e) => e.peer === 'IAX2/1003' && e.queue === 'Sales' && e.member), 'joined Sales');
    await s.control.queue({ peer: 'IAX2/1003', queue: 'Sales', member: false });
    await until(() => states.some((e) => e.peer === 'IAX2/1003' && e.queue === 'Sales' && !e.member), 'left Sales');
    expect(server.mismatches).toEqual([]);
  });

  it('c8: after a (re)connect QueueStatus gives the agent state, pauses included', async () => {
    const server = await pbx('c8-resync-sees-pause', undefined, [2]);
    const { source: s, states } = await source(server);
    await until(() => states.filter((e) => e.peer === 'IAX2/1001').length >= 2, 'Mario Rossi in two queues');
    expect(states.filter((e) => e.peer === 'IAX2/1001').map((e) => [e.queue, e.paused, e.reason, e.status])).toEqual([
      ['Billing', true, 'Training', 'unknown'],
      ['Sales', true, 'Training', 'unknown'],
    ]);
    await s.control.pause({ peer: 'IAX2/1001', paused: false });
    await until(() => states.filter((e) => e.peer === 'IAX2/1001' && !e.paused).length >= 2, 'unpaused');
    expect(server.mismatches).toEqual([]);
  });

  it('c7: the PBX\'s refusals come back with its own text', async () => {
    const server = await pbx('c7-errors');
    const client = createAmiClient({ host: '127.0.0.1', port: server.port, username: 'cti', secret: 'ctisecret' });
    cleanup.push(() => client.stop());
    const index = createChannelIndex();
    const control = createAmiCallControl({ client, index, transferContext: 'transfer-target' });
    client.on('event', (m) => {
      control.handle(m);
      index.handle(m);
    });
    await client.start();
    const dial = { number: '0298765432', callerid: '"Andrea Bianco" <1000>' };
    // Rows 1 and 2 without and with a ChannelId the recording knows (`<unknown>` / ours).
    expect(await refusal(control.dial({ ...dial, peer: 'IAX2/127.0.0.1:4599', channelId: 'cti-c7-1' }))).toMatchObject({
      code: 'PBX_ERROR',
      message: expect.stringContaining('Reason 8') as string,
    });
    expect(await refusal(control.dial({ ...dial, peer: 'PJSIP/9999', channelId: 'cti-c7-2' }))).toMatchObject({
      code: 'PBX_ERROR',
      message: expect.stringContaining('Reason 0') as string,
    });
    // Row 3 (`Channel: IAX2/`), 5 (`Exten: nobody`) and 6 (a 150-character ChannelId) cannot pass the
    // command schemas; the recording's own client sent them.
    await client.action({ Action: 'Originate', Channel: 'IAX2/', Context: 'from-internal', Exten: '0298765432', Priority: '1', CallerID: dial.callerid, Async: 'true' });
    expect(
      await refusal(control.dial({ number: '0298765432', callerid: '"Mario Rossi" <1001>', peer: 'IAX2/1001', timeout: 3, channelId: 'cti-c7-4' })),
    ).toMatchObject({ code: 'TIMEOUT' });
    await refusal(client.action({ Action: 'Originate', Channel: 'IAX2/1000', Context: 'from-internal', Exten: 'nobody', Priority: '1', CallerID: dial.callerid, Async: 'true' }));
    await refusal(client.action({ Action: 'Originate', Channel: 'IAX2/1000', Context: 'from-internal', Exten: '0298765432', Priority: '1', CallerID: dial.callerid, ChannelId: 'x'.repeat(150), Async: 'true' }));
    // Hangup/Redirect/Atxfer of channels the hub does not know never reach the PBX; these are the PBX's answers to them.
    index.handle({ Event: 'Newchannel', Channel: 'IAX2/1000-9999', Uniqueid: 'u-1' });
    index.handle({ Event: 'Newchannel', Channel: 'IAX2/pstn-9999', Uniqueid: 'u-2' });
    index.handle({ Event: 'Newchannel', Channel: 'IAX2/1000-9999', Uniqueid: 'u-3' });
    expect(await refusal(control.hangup({ uniqueid: 'u-1' }))).toEqual({ code: 'NOT_FOUND', message: 'No such channel' });
    expect(await refusal(control.transfer({ uniqueid: 'u-2', to: '7000', mode: 'blind' }))).toEqual({ code: 'NOT_FOUND', message: 'Channel does not exist: IAX2/pstn-9999' });
    expect(await refusal(control.transfer({ uniqueid: 'u-3', to: '7000', mode: 'attended' }))).toEqual({ code: 'NOT_FOUND', message: 'Channel specified does not exist' });
    expect(await refusal(control.pause({ peer: 'IAX2/1009', paused: true, reason: 'Lunch' }))).toEqual({ code: 'NOT_FOUND', message: 'Interface not found' });
    expect(await refusal(control.pause({ peer: 'IAX2/1000', queue: 'Support2', paused: true, reason: 'Lunch' }))).toEqual({ code: 'NOT_FOUND', message: 'Interface not found' });
    const add = { peer: 'IAX2/1000', member: true, name: 'Andrea Bianco', penalty: 0 };
    expect(await refusal(control.queue({ ...add, queue: 'Marketing' }))).toEqual({ code: 'NOT_FOUND', message: 'Unable to add interface to queue: No such queue' });
    expect(await refusal(control.queue({ ...add, queue: 'Support' }))).toEqual({ code: 'PBX_ERROR', message: 'Unable to add interface: Already there' });
    expect(await refusal(control.queue({ peer: 'IAX2/1000', queue: 'Support', member: false }))).toEqual({ code: 'PBX_ERROR', message: 'Member not dynamic' });
    expect(await refusal(control.queue({ peer: 'IAX2/1000', queue: 'Support2', member: false }))).toEqual({ code: 'NOT_FOUND', message: 'Unable to remove interface: Not there' });
    expect(server.mismatches).toEqual([]);
  });
});
