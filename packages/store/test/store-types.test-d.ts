// The store's input types keep each event's and each command's own fields.
import { describe, test } from 'vitest';
import type { OutboxItem, UnnumberedEvent } from '../src/index.js';

const time = '2026-03-02T09:00:00.000Z';
const call = { queue: 'Sales', agentname: 'A', agentnum: '1', peer: 'SIP/a', direction: 'inbound', uniqueid: 'u', callernum: '1' };

describe('UnnumberedEvent', () => {
  test('is each call event without its seq', () => {
    const ringing: UnnumberedEvent = { event: 'ringing', ...call, ringing: true, time, variables: {} };
    // @ts-expect-error an up without its holdtime and ringtime
    const up: UnnumberedEvent = { event: 'up', ...call, up: true, time, variables: {} };
    // @ts-expect-error the flag of ringing, not of up
    const flag: UnnumberedEvent = { event: 'ringing', ...call, up: true, time, variables: {} };
    // @ts-expect-error the hub adds the time and the variables
    const bare: UnnumberedEvent = { event: 'ringing', ...call, ringing: true };
    void [ringing, up, flag, bare];
  });
});

describe('UnnumberedEvent: agentstate', () => {
  test('is a member of the stream with its own fields, and narrows on its name', () => {
    const state: UnnumberedEvent = { event: 'agentstate', peer: 'SIP/a', queue: 'Sales', member: true, paused: false, status: 'idle', agentstate: true, time };
    // @ts-expect-error an agentstate without its queue
    const noQueue: UnnumberedEvent = { event: 'agentstate', peer: 'SIP/a', member: true, paused: false, status: 'idle', agentstate: true, time };
    // @ts-expect-error an agentstate without its flag
    const noFlag: UnnumberedEvent = { event: 'agentstate', peer: 'SIP/a', queue: 'Sales', member: true, paused: false, status: 'idle', time };
    const paused = (event: UnnumberedEvent): boolean => (event.event === 'agentstate' ? event.paused : false);
    const uniqueid = (event: UnnumberedEvent): string | undefined => {
      // @ts-expect-error only the call events are known to have a uniqueid
      const id: string = event.uniqueid;
      void id;
      return event.event === 'agentstate' ? undefined : event.uniqueid;
    };
    void [state, noQueue, noFlag, paused, uniqueid];
  });
});

describe('OutboxItem', () => {
  test('its payload is the delivery of its kind', () => {
    const fields = { id: 'c', peer: 'SIP/a', createdAt: time, expiresAt: time };
    const wakeup: OutboxItem = { ...fields, kind: 'AgentCTI', payload: { id: 'c', peer: 'SIP/a', url: 'https://crm.example', mode: 'new_tab', time } };
    // @ts-expect-error a notification's payload under the wakeup's kind
    const mixed: OutboxItem = { ...fields, kind: 'AgentCTI', payload: { id: 'c', peer: 'SIP/a', type: 'info', title: 't', body: 'b', time } };
    void [wakeup, mixed];
  });
});
