import type { Scope } from '@shuttle-cti/protocol';
import { seededRandom } from '@shuttle-cti/sources';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, startTestHub, until, type TestHub } from '../helpers.js';
import { getJson, inScope, outboundCall, queueCall, scopedToken } from './helpers.js';

/**
 * Isolation is a security property: two tenants on one hub, each with a scoped
 * supervisor and a scoped integration, a third tenant nobody is scoped to, and a seeded
 * random mix of traffic, resumes, HTTP reads and commands. Nothing of one tenant may
 * reach the other, and each gets all of its own. SCOPE_SEED=<n> replays a run.
 */
const seed = Number(process.env['SCOPE_SEED'] ?? 1402);
const steps = 160;

type Ev = { seq: number; event: string; queue?: string; peer?: string; uniqueid: string };
type Ack = { ok: boolean; error?: { code: string } };
const send = (socket: Socket, name: string, payload: unknown): Promise<Ack> => new Promise((resolve) => socket.emit(name, payload, resolve));
const eventNames = ['ringing', 'up', 'hangup', 'abandon', 'outbound', 'ringend', 'agentstate'];

interface Tenant {
  name: string;
  queues: string[];
  agents: string[];
  scope: Scope;
  sup?: Socket;
  int?: Socket;
  /** An integration that drops and resumes from the last seq it saw; what each of its connections got. */
  resumer?: { socket: Socket; got: Ev[][] };
  panel?: Socket;
  supToken?: string;
  intToken?: string;
}

let t: TestHub | undefined;
const open: Socket[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await t?.stop();
  t = undefined;
});

describe('scope isolation', () => {
  it(`nothing crosses between tenants under a seeded mix of traffic, resumes, reads and commands (seed ${seed})`, async () => {
    t = await startTestHub({ config: { limits: { commandsPerSecond: 100_000, commandsPerSecondPerToken: 100_000, httpRequestsPerSecond: 100_000 } } });
    const hub = t;
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const tenants: Tenant[] = [
      { name: 'a', queues: ['A-Sales', 'A-Support'], agents: ['SIP/a-0', 'SIP/a-1', 'SIP/a-2'], scope: { queues: ['A-Sales', 'A-Support'], peers: ['SIP/a-lead'] } },
      { name: 'b', queues: ['B-Sales'], agents: ['SIP/b-0', 'SIP/b-1'], scope: { queues: ['B-Sales'], peers: ['SIP/b-lead'] } },
      { name: 'c', queues: ['C-Queue'], agents: ['SIP/c-0'], scope: { queues: ['C-Queue'], peers: [] } },
    ];
    const [a, b, c] = tenants as [Tenant, Tenant, Tenant];
    const scoped = [a, b];
    const everyone = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    open.push(everyone);
    const all = collect<Ev>(everyone, eventNames);
    const pops = new Map<string, { url: string }[]>();
    for (const x of scoped) {
      x.supToken = (await scopedToken(hub, 'supervisor', x.scope)).secret;
      x.intToken = (await scopedToken(hub, 'integration', x.scope)).secret;
      x.sup = await connectClient(hub.url, '/supervisor', { token: x.supToken });
      x.int = await connectClient(hub.url, '/', { token: x.intToken });
      const socket = await connectClient(hub.url, '/', { token: x.intToken });
      x.resumer = { socket, got: [collect<Ev>(socket, eventNames)] };
      const peer = x.agents[0] as string;
      x.panel = await connectClient(hub.url, '/agent', { token: await hub.agentToken(peer) });
      pops.set(x.name, collect<{ url: string }>(x.panel, ['AgentCTI']));
      open.push(x.sup, x.int, socket, x.panel);
    }
    // The model: which peers the hub may know as members of which queue (calls seen, agentstate).
    const members = new Map<string, string>();
    const calls = new Map<string, Tenant>();
    const tenantOfPeer = (peer: string): Tenant | undefined => tenants.find((x) => x.agents.includes(peer) || x.scope.peers.includes(peer));
    const allowedPeer = (x: Tenant, peer: string): boolean => x.scope.peers.includes(peer) || x.queues.includes(members.get(peer) ?? '');
    const counts: Record<string, number> = {};
    const count = (what: string): void => void (counts[what] = (counts[what] ?? 0) + 1);

    for (let step = 0; step < steps; step++) {
      const x = pick(tenants);
      const roll = random();
      if (roll < 0.35) {
        const queue = pick(x.queues);
        const peer = pick(x.agents);
        const events = queueCall(queue, peer, random() < 0.7);
        const res = await hub.ingest(events);
        expect(res.every((r) => r.ok)).toBe(true);
        members.set(peer, queue);
        calls.set(String(events[0]?.['uniqueid']), x);
        count('call');
      } else if (roll < 0.42) {
        const peer = pick([...x.agents, ...x.scope.peers]);
        const res = await hub.ingest([outboundCall(peer)]);
        expect(res.every((r) => r.ok)).toBe(true);
        count('outbound');
      } else if (roll < 0.48) {
        const peer = pick(x.agents);
        const queue = pick(x.queues);
        await hub.hub.sink.agentState({ event: 'agentstate', peer, queue, member: true, paused: random() < 0.3, status: 'idle' });
        members.set(peer, queue);
        count('agentstate');
      } else if (roll < 0.62 && x !== c) {
        // A pop on any tenant's agent: allowed only on its own.
        const peer = pick([...a.agents, ...b.agents, ...c.agents, 'SIP/a-lead', 'SIP/b-lead']);
        const ack = await send(x.int as Socket, 'AgentCTI', { peer, url: `https://crm.example.test/${x.name}/${step}`, mode: 'new_frame' });
        expect(ack.ok ? 'ok' : ack.error?.code, `${x.name} pops on ${peer}`).toBe(allowedPeer(x, peer) ? 'ok' : 'FORBIDDEN');
        count(ack.ok ? 'pop allowed' : 'pop forbidden');
      } else if (roll < 0.72 && x !== c) {
        // Call control on any call seen, or on one that does not exist.
        const ids = [...calls.keys()];
        const uniqueid = random() < 0.15 || ids.length === 0 ? `nobody-${step}` : pick(ids);
        const owner = calls.get(uniqueid);
        const ack = await send(x.sup as Socket, 'CallHangup', { uniqueid });
        const expected = owner === undefined ? 'NOT_FOUND' : owner === x ? 'NOT_SUPPORTED' : 'FORBIDDEN';
        expect(ack.error?.code, `${x.name} hangs up ${uniqueid}`).toBe(expected);
        count(`hangup ${expected}`);
      } else if (roll < 0.8) {
        // A realtime row logged by an unscoped integration, on any tenant's queue.
        const ack = await send(everyone, 'RealtimeCTI', { type: 'crm', channel: { queue: pick(x.queues) }, reference: `${x.name}-${step}` });
        expect(ack.ok).toBe(true);
        count('realtime row');
      } else if (roll < 0.9 && x !== c) {
        // HTTP reads of the tenant's supervisor: every event and row in its scope.
        const read = await getJson<{ events: Ev[]; scanned: number }>(hub, `/api/v1/events?after=${Math.floor(random() * 50)}&limit=${1 + Math.floor(random() * 40)}`, x.supToken as string);
        expect(read.status).toBe(200);
        expect(read.body.events.filter((e) => !inScope(x.scope, e))).toEqual([]);
        const rows = await getJson<{ rows: { reference: string; channel: { queue?: string } }[] }>(hub, '/api/v1/realtime?limit=50', x.supToken as string);
        expect(rows.body.rows.every((r) => r.reference.startsWith(`${x.name}-`))).toBe(true);
        count('http read');
      } else if (x !== c) {
        // The resuming integration drops and comes back from the last seq it saw.
        const r = x.resumer as NonNullable<Tenant['resumer']>;
        r.socket.close();
        const lastSeq = Math.max(0, ...r.got.flat().map((e) => e.seq));
        r.socket = await connectClient(hub.url, '/', { token: x.intToken, lastSeq });
        r.got.push(collect<Ev>(r.socket, eventNames));
        open.push(r.socket);
        count('resume');
      }
    }

    const { last } = await hub.hub.store.seqRange();
    await until(() => all.length > 0 && Math.max(...all.map((e) => e.seq)) === last, 10_000, 'every event to the unscoped integration');
    const bySeq = (p: number, q: number): number => p - q;
    for (const x of scoped) {
      const mine = all.filter((e) => inScope(x.scope, e)).map((e) => e.seq).sort(bySeq);
      expect(mine.length).toBeGreaterThan(0);
      const live = collect<Ev>(x.int as Socket, eventNames);
      const sup = collect<Ev>(x.sup as Socket, eventNames);
      const r = x.resumer as NonNullable<Tenant['resumer']>;
      const seen = (): Ev[] => r.got.flat();
      await until(() => live.length >= mine.length && sup.length >= mine.length && seen().length >= mine.length, 10_000, `${x.name}'s events (${live.length}, ${sup.length}, ${seen().length} of ${mine.length})`);
      expect(live.map((e) => e.seq).sort(bySeq), `${x.name} integration`).toEqual(mine);
      expect(sup.map((e) => e.seq).sort(bySeq), `${x.name} supervisor`).toEqual(mine);
      expect(seen().map((e) => e.seq).sort(bySeq), `${x.name} resuming integration`).toEqual(mine);
      // Presences: only the tenant's own agents.
      const presences = collect<{ peer: string }>(x.sup as Socket, ['agent']);
      expect(presences.filter((p) => tenantOfPeer(p.peer) !== x).map((p) => p.peer), `${x.name} presences`).toEqual([]);
      // Realtime rows: only the tenant's.
      const rows = collect<{ reference: string }>(x.sup as Socket, ['RealtimeCTI']);
      expect(rows.filter((row) => !row.reference.startsWith(`${x.name}-`)).map((row) => row.reference), `${x.name} rows`).toEqual([]);
      // Pops on the tenant's agent: only from the tenant's integration.
      const got = pops.get(x.name) ?? [];
      expect(got.filter((p) => !p.url.includes(`/${x.name}/`)).map((p) => p.url), `${x.name} pops`).toEqual([]);
    }
    expect(Object.keys(counts).length).toBeGreaterThan(8);
    console.log(`scope isolation (seed ${seed}):`, JSON.stringify(counts));
  });
});
