import { applyCallEvent, createFloor, dayOf, eventInScope, type CallEvent, type DayStats, type Scope, type Snapshot } from '@shuttle-cti/protocol';
import { seededRandom } from '@shuttle-cti/sources';
import type { Socket } from 'socket.io-client';
import { afterEach, expect, it } from 'vitest';
import { connectClient, nextEvent, startTestHub, type TestHub } from '../helpers.js';
import { getJson, outboundCall, scopedToken } from './helpers.js';

let t: TestHub | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await t?.stop();
  t = undefined;
});

const queues = ['Sales', 'Billing', 'Support'];
const peers = Array.from({ length: 8 }, (_, i) => `SIP/p${i}`);

/** A seeded mix: ring-all calls (rung twice over, some peers ringend), answered, abandoned, left talking, and outbound calls. */
function traffic(random: () => number, calls: number): Record<string, unknown>[] {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < calls; i++) {
    const uniqueid = `mix-${Math.floor(random() * 1e9)}-${i}`;
    if (random() < 0.15) {
      events.push(outboundCall(pick(peers), uniqueid));
      continue;
    }
    const queue = pick(queues);
    const base = { queue, uniqueid, direction: 'inbound', callernum: '1003', channel: `SIP/trunk-${i}`, time: new Date().toISOString() };
    const rung = [pick(peers), pick(peers), pick(peers)].filter((p, j, all) => all.indexOf(p) === j);
    const agent = (peer: string) => ({ ...base, peer, agentname: peer, agentnum: '1000' });
    for (let round = 0; round < (random() < 0.3 ? 2 : 1); round++) for (const peer of rung) events.push({ ...agent(peer), event: 'ringing', ringing: true });
    const outcome = random();
    if (outcome < 0.25) {
      events.push({ ...base, event: 'abandon', holdtime: String(Math.floor(random() * 30)), unmanaged: true });
      continue;
    }
    const answerer = rung[0] as string;
    for (const peer of rung.slice(1)) events.push({ ...agent(peer), event: 'ringend', reason: 'answered-elsewhere', ringend: true });
    const holdtime = String(Math.floor(random() * 40));
    events.push({ ...agent(answerer), event: 'up', holdtime, ringtime: '2', up: true });
    if (outcome < 0.85) events.push({ ...agent(answerer), event: 'hangup', holdtime, ringtime: '2', talktime: '30', reason: 'agent', hangup: true });
  }
  return events;
}

/** Today's counters of a scope by the floor module, over the stored events in the scope. */
function expected(events: readonly CallEvent[], scope: Scope): DayStats {
  const today = dayOf(new Date().toISOString());
  const floor = createFloor({}, today);
  for (const event of events) if (eventInScope(scope, event)) applyCallEvent(floor, event);
  return floor.stats;
}

it("a scope's counters are right when its first supervisor connects after the traffic, and stay right with more", async () => {
  t = await startTestHub();
  const hub = t;
  const random = seededRandom(1414);
  const scopes: Scope[] = [
    { queues: ['Sales'], peers: [] },
    { queues: ['Sales', 'Support'], peers: ['SIP/p1'] },
    { queues: [], peers: ['SIP/p2', 'SIP/p3'] },
    { queues: ['Billing'], peers: ['SIP/p0', 'SIP/p7'] },
  ];
  const stored = async (): Promise<CallEvent[]> => {
    const events: CallEvent[] = [];
    for (;;) {
      const page = await getJson<{ events: CallEvent[] }>(hub, `/api/v1/events?after=${events.at(-1)?.seq ?? 0}&limit=1000`, hub.tokens.supervisor);
      events.push(...page.body.events);
      if (page.body.events.length < 1000) return events;
    }
  };
  const connect = async (scope: Scope): Promise<Snapshot> => {
    const socket = await connectClient(hub.url, '/supervisor', { token: (await scopedToken(hub, 'supervisor', scope)).secret });
    sockets.push(socket);
    return nextEvent<Snapshot>(socket, 'snapshot');
  };

  const first = traffic(random, 150);
  expect((await hub.ingest(first)).filter((r) => !r.ok)).toEqual([]);
  let events = await stored();
  for (const scope of scopes) {
    const want = expected(events, scope);
    expect(want.calls).toBeGreaterThan(0);
    expect((await connect(scope)).stats, JSON.stringify(scope)).toEqual(want);
  }

  // More traffic: the scopes already held go on counting live; a second supervisor of one
  // of them, and the first of a new scope, get the same figures as the model.
  expect((await hub.ingest(traffic(random, 120))).filter((r) => !r.ok)).toEqual([]);
  events = await stored();
  for (const scope of [scopes[1] as Scope, { queues: ['Support'], peers: ['SIP/p5'] }]) {
    expect((await connect(scope)).stats, JSON.stringify(scope)).toEqual(expected(events, scope));
  }

  // After a restart (the index rebuilt from today's stored events), the same figures.
  for (const s of sockets.splice(0)) s.close();
  await hub.restart();
  for (const scope of [scopes[2] as Scope, scopes[3] as Scope]) {
    expect((await connect(scope)).stats, `${JSON.stringify(scope)} after a restart`).toEqual(expected(events, scope));
  }
});
