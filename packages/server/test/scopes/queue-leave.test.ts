import type { AgentPresence, Snapshot } from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io-client';
import { afterEach, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, startTestHub, until, type TestHub } from '../helpers.js';
import { scopedToken } from './helpers.js';

let t: TestHub | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await t?.stop();
  t = undefined;
});

const member = (peer: string, queue: string, isMember: boolean) => ({ event: 'agentstate' as const, peer, agentname: peer, queue, member: isMember, paused: false, status: 'idle' });

it("an agent that leaves a queue gets a last presence, offline with none of their queues, to the supervisors it leaves the scope of, and no other presence to them afterwards", async () => {
  t = await startTestHub();
  const hub = t;
  await hub.hub.sink.agentState(member('SIP/a', 'Sales', true));
  await hub.hub.sink.agentState(member('SIP/a', 'Support', true));
  const supervisor = async (scope: { queues: string[]; peers: string[] } | null) => {
    const token = scope === null ? hub.tokens.supervisor : (await scopedToken(hub, 'supervisor', scope)).secret;
    const socket = await connectClient(hub.url, '/supervisor', { token });
    sockets.push(socket);
    const snapshot = await nextEvent<Snapshot>(socket, 'snapshot');
    return { socket, snapshot, presences: collect<AgentPresence>(socket, ['agent']) };
  };
  const salesOnly = await supervisor({ queues: ['Sales'], peers: [] });
  const salesAndSupport = await supervisor({ queues: ['Sales', 'Support'], peers: [] });
  const namingIt = await supervisor({ queues: ['Sales'], peers: ['SIP/a'] });
  const billing = await supervisor({ queues: ['Billing'], peers: [] });
  const everyone = await supervisor(null);
  const all = [salesOnly, salesAndSupport, namingIt, billing, everyone];
  for (const s of [salesOnly, salesAndSupport, namingIt, everyone]) expect(s.snapshot.agents.map((a) => a.peer)).toContain('SIP/a');
  expect(billing.snapshot.agents).toEqual([]);

  await hub.hub.sink.agentState(member('SIP/a', 'Sales', false));
  // A marker every supervisor gets after that: a Billing and Sales member joining both.
  await hub.hub.sink.agentState(member('SIP/m', 'Sales', true));
  await hub.hub.sink.agentState(member('SIP/m', 'Billing', true));
  await until(() => all.every((s) => s.presences.some((p) => p.peer === 'SIP/m')), 5000, 'the marker presence');
  const of = (s: (typeof all)[number]) => s.presences.filter((p) => p.peer === 'SIP/a');

  // Out of the Sales-only scope: one last presence, offline, naming none of its queues.
  expect(of(salesOnly)).toEqual([{ peer: 'SIP/a', state: 'offline', sessions: 0, queues: [] }]);
  // Still in the others' (by Support, by name, unscoped): its real presence, no last one.
  for (const s of [salesAndSupport, namingIt, everyone]) {
    expect(of(s)).toHaveLength(1);
    expect(of(s)[0]).toMatchObject({ peer: 'SIP/a', queues: ['Support'] });
  }
  expect(of(billing)).toEqual([]);

  // Its next presence (a panel opens) no longer reaches the Sales-only supervisor.
  for (const s of all) s.presences.length = 0;
  const panel = await connectClient(hub.url, '/agent', { token: await hub.agentToken('SIP/a') });
  sockets.push(panel);
  await until(() => everyone.presences.some((p) => p.peer === 'SIP/a' && p.sessions === 1), 5000, 'the panel presence');
  await hub.hub.sink.agentState(member('SIP/m', 'Sales', false));
  await until(() => salesOnly.presences.some((p) => p.peer === 'SIP/m'), 5000, 'the second marker');
  expect(of(salesOnly)).toEqual([]);
  expect(of(salesAndSupport).some((p) => p.sessions === 1)).toBe(true);
  // SIP/m is still a Billing member: the Billing supervisor gets its real presence, not a last one.
  await until(() => billing.presences.some((p) => p.peer === 'SIP/m'), 5000, 'the Billing presence');
  expect(billing.presences.filter((p) => p.peer === 'SIP/m').every((p) => p.queues?.includes('Billing') === true)).toBe(true);

  // Back in Sales: the Sales-only supervisor sees it again.
  await hub.hub.sink.agentState(member('SIP/a', 'Sales', true));
  await until(() => salesOnly.presences.some((p) => p.peer === 'SIP/a'), 5000, 'the presence after rejoining');
  expect(of(salesOnly)[0]).toMatchObject({ peer: 'SIP/a', sessions: 1, queues: ['Sales', 'Support'] });
});
