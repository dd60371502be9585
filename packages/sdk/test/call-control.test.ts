// The SDK's call-control methods against a real hub whose Asterisk is the fake AMI playing the recordings.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../server/test/helpers.js';
import { hubWithPbx } from '../../server/test/call-control/helpers.js';
import { connect, CtiError, type AgentStateEvent, type HangupEvent, type OutboundEvent, type UpEvent } from '../src/index.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('SDK call control', () => {
  it('dial resolves with the uniqueid of the outbound event', async () => {
    const env = await hubWithPbx('c1-click-to-dial');
    cleanup.push(() => env.close());
    const cti = connect(env.hub.url, { token: env.hub.tokens.integration });
    cleanup.push(() => cti.close());
    const outbound: OutboundEvent[] = [];
    cti.on('outbound', (e) => void outbound.push(e));
    await cti.ready;
    const { uniqueid } = await cti.dial('IAX2/1000', '0298765432', {
      callerid: '"Andrea Bianco" <1000>',
      variables: { ordernumber: 'ORD-1', customerid: 'C-1' },
    });
    await until(() => outbound.length > 0, 10_000, 'outbound');
    expect(outbound[0]?.uniqueid).toBe(uniqueid);
  });

  it('pause with a reason, agentstate events, and a refusal as CtiError', async () => {
    const env = await hubWithPbx('c5-pause-with-reason');
    cleanup.push(() => env.close());
    const cti = connect(env.hub.url, { token: env.hub.tokens.integration });
    cleanup.push(() => cti.close());
    const states: AgentStateEvent[] = [];
    cti.on('agentstate', (e) => void states.push(e));
    await cti.ready;
    await cti.pause('IAX2/1000', true, { reason: 'Lunch' });
    await until(() => states.length >= 2, 10_000, 'agentstate');
    expect(states.slice(0, 2).map((s) => [s.queue, s.paused, s.reason])).toEqual([
      ['Support', true, 'Lunch'],
      ['Sales', true, 'Lunch'],
    ]);
    const error = await cti.pause('IAX2/1000\r\nAction: Logoff', true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CtiError);
    expect((error as CtiError).field).toBe('peer');
  });

  it('an attended transfer is cancelled with cancelTransfer (recorded c4b); the call goes on and ends with the caller', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const env = await hubWithPbx('c4b-atxfer-cancelled', { gate });
    cleanup.push(() => env.close());
    const cti = connect(env.hub.url, { token: env.hub.tokens.integration });
    cleanup.push(() => cti.close());
    const ups: UpEvent[] = [];
    const hangups: HangupEvent[] = [];
    cti.on('up', (e) => void ups.push(e));
    cti.on('hangup', (e) => void hangups.push(e));
    await cti.ready;
    // The recorded call starts once the integration listens.
    open();
    await until(() => ups.length > 0, 10_000, 'the call is up');
    const uniqueid = ups[0]?.uniqueid ?? '';
    await cti.transfer(uniqueid, '7000', 'attended');
    expect(await cti.cancelTransfer(uniqueid)).toHaveProperty('id');
    await until(() => hangups.length > 0, 10_000, 'the hangup');
    expect(hangups[0]).toMatchObject({ uniqueid, reason: 'caller' });
    expect(env.pbx.actions.map((a) => a['Action']).filter((a) => a === 'Atxfer' || a === 'CancelAtxfer')).toEqual(['Atxfer', 'CancelAtxfer']);
    expect(env.pbx.mismatches).toEqual([]);
  });
});
