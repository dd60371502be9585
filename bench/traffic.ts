import { seededRandom } from '@shuttle-cti/sources';

/** A call event as the bench source posts it (flat, string values, as a PBX sends them). */
export type BenchEvent = Record<string, string | boolean | number>;

/** The agents the bench connects: one peer each. */
export function benchPeers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `SIP/bench.agent.${String(i + 1).padStart(5, '0')}`);
}

const queues = [
  { name: 'Sales', extension: '6001' },
  { name: 'Support', extension: '6000' },
  { name: 'Billing', extension: '6003' },
];

/** The queues the traffic uses (`--scoped-supervisors` scopes them). */
export const benchQueues: readonly string[] = queues.map((q) => q.name);

/**
 * Who answers each queue, as in a centre of teams: agent i serves queue i mod 3, and every
 * fourth agent the next queue too. So a queue's calls ring its own members, and the
 * membership the hub learns from the calls is a team, not the whole floor.
 */
export function queueMembers(peers: readonly string[]): string[][] {
  const members: string[][] = queues.map(() => []);
  peers.forEach((peer, i) => {
    members[i % queues.length]?.push(peer);
    if (i % 4 === 0) members[(i + 1) % queues.length]?.push(peer);
  });
  return members.map((list) => (list.length > 0 ? list : [...peers]));
}

/**
 * Realistic queue traffic for any number of agents: calls overlap, and each follows one of
 * the shapes a contact centre sees. Per 100 calls: 70 rung to one agent and answered
 * (ringing, up, hangup), 15 rung to two agents and answered by one (ringing ×2, ringend,
 * up, hangup), 15 abandoned (ringing, ringend, abandon): 3.3 events per call, of which
 * about a quarter are `up` (each one a screen pop per integration). Calls overlap: 40% of
 * the agents are on a call at any time. Each call rings members of its queue (`queueMembers`).
 */
export function createTraffic(peers: readonly string[], seed = 1): () => BenchEvent {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const epoch = Math.floor(Date.now() / 1000);
  const active: BenchEvent[][] = [];
  // Calls in progress at once: 40% of the agents, a busy floor (the hub's live state grows with it).
  const concurrent = Math.max(1, Math.floor(peers.length * 0.4));
  const teams = queueMembers(peers).map((members, q) => ({ queue: queues[q] as (typeof queues)[number], members }));
  const numbers = new Map(peers.map((peer, i) => [peer, String(1000 + i)]));
  let counter = 0;

  function agent(peer: string) {
    const name = peer.slice(peer.lastIndexOf('/') + 1);
    return { peer, agentname: name.replace('.', ' '), agentnum: numbers.get(peer) ?? '0', sipname: name };
  }

  function newCall(): BenchEvent[] {
    counter++;
    const { queue, members } = pick(teams);
    const uniqueid = `${epoch}.${counter}`;
    const channel = `SIP/trunk-${counter.toString(16).padStart(8, '0')}`;
    const base = {
      queue: queue.name,
      direction: 'inbound',
      uniqueid,
      context: 'from-pstn',
      extension: queue.extension,
      trunk: channel,
      callernum: `3${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
      callername: 'Carla Gialli',
      channel,
    };
    const first = pick(members);
    const hold = String(1 + Math.floor(random() * 30));
    const ring = String(Math.floor(random() * 8));
    const shape = random();
    const ringing = (peer: string): BenchEvent => ({ event: 'ringing', ...base, ...agent(peer), ringing: true });
    const answered = (peer: string): BenchEvent[] => [
      { event: 'up', ...base, ...agent(peer), holdtime: hold, ringtime: ring, up: true },
      { event: 'hangup', ...base, ...agent(peer), holdtime: hold, ringtime: ring, talktime: String(Math.floor(random() * 600)), reason: pick(['agent', 'caller']), hangup: true },
    ];
    if (shape < 0.7) return [ringing(first), ...answered(first)];
    if (shape < 0.85) {
      const second = pick(members);
      return [ringing(first), ringing(second), { event: 'ringend', ...base, ...agent(second), reason: 'answered-elsewhere', ringend: true }, ...answered(first)];
    }
    return [
      ringing(first),
      { event: 'ringend', ...base, ...agent(first), reason: 'caller-left', ringend: true },
      { event: 'abandon', queue: base.queue, direction: 'unmanaged', uniqueid, callernum: base.callernum, callername: base.callername, channel, holdtime: hold, unmanaged: true },
    ];
  }

  // The floor starts in its steady state: each call already some way through its life
  // (otherwise the first thousands of events would all be `ringing`).
  while (active.length < concurrent) {
    const call = newCall();
    call.splice(0, Math.floor(random() * call.length));
    active.push(call);
  }

  return () => {
    const index = Math.floor(random() * active.length);
    const call = active[index] as BenchEvent[];
    const event = call.shift() as BenchEvent;
    if (call.length === 0) active[index] = newCall();
    return event;
  };
}
