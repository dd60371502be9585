// The SDK's call-control methods against a real hub whose Asterisk is the fake AMI playing the recordings.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../server/test/helpers.js';
import { hubWithPbx } from '../../server/test/call-control/helpers.js';
import { connect, CtiError, type AgentStateEvent, type OutboundEvent } from '../src/index.js';

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
});
