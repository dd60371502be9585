// The pages' connection helper hands back sockets typed by namespace: what a page emits
// and what it listens to is checked against the protocol's maps, with no cast at the call site.
import type { AgentCtiDelivery, AgentPresence, CallControlAck, Snapshot } from '@shuttle-cti/protocol';
import { describe, expectTypeOf, test } from 'vitest';
import { openConnection, type AgentSocket, type SupervisorSocket } from '../src/common/connection.js';

describe('openConnection', () => {
  test('types the socket by its namespace', () => {
    const agent = openConnection('/agent', 't', () => undefined);
    const supervisor = openConnection('/supervisor', 't', () => undefined);
    expectTypeOf(agent).toEqualTypeOf<AgentSocket>();
    expectTypeOf(supervisor).toEqualTypeOf<SupervisorSocket>();
    agent.on('AgentCTI', (delivery) => expectTypeOf(delivery).toEqualTypeOf<AgentCtiDelivery>());
    supervisor.on('snapshot', (snapshot) => expectTypeOf(snapshot).toEqualTypeOf<Snapshot>());
    supervisor.on('agent', (presence) => expectTypeOf(presence).toEqualTypeOf<AgentPresence>());
    supervisor.emit('CallHangup', { uniqueid: 'u' }, (ack) => expectTypeOf(ack).toEqualTypeOf<CallControlAck>());
    // @ts-expect-error not a namespace of the pages
    openConnection('/', 't', () => undefined);
  });

  test('refuses wrong payloads and commands a role may not send', () => {
    const agent = openConnection('/agent', 't', () => undefined);
    const supervisor = openConnection('/supervisor', 't', () => undefined);
    // @ts-expect-error an ack names the command by its id
    agent.emit('ack', { uniqueid: 'x' });
    // @ts-expect-error paused is a boolean
    supervisor.emit('AgentPause', { peer: 'SIP/a', paused: 'yes' }, () => undefined);
    // @ts-expect-error dashboards may not dial
    supervisor.emit('CallDial', { peer: 'SIP/a', number: '1' }, () => undefined);
    // @ts-expect-error agents get no snapshot
    agent.on('snapshot', () => undefined);
  });
});
