import type { AgentPresence, Snapshot } from '@shuttle-cti/protocol';
import { jsonByteLength } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

// The attack of issue "live state without bound", scaled down with the ceilings: many
// `ringing` events with distinct uniqueids and peers, then supervisors connecting.

let t: TestHub | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const metric = async (hub: TestHub, name: string): Promise<number> => {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
};

async function flood(hub: TestHub, ringing: Record<string, unknown>, from: number, count: number, via: 'ingest' | 'http'): Promise<void> {
  for (let start = from; start < from + count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, from + count - start) }, (_, i) => ({
      ...ringing,
      uniqueid: `flood-${start + i}`,
      peer: `SIP/flood-${start + i}`,
      agentname: `Flood ${start + i}`,
    }));
    if (via === 'ingest') {
      const results = await hub.ingest(batch);
      expect(results.every((r) => r.ok)).toBe(true);
    } else {
      const res = await fetch(`${hub.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens.source}` },
        body: JSON.stringify(batch),
      });
      expect(res.status).toBe(202);
    }
  }
}

describe('live view under a flood of ringing calls', () => {
  it('keeps calls and agents under their ceilings, counts what it evicts, and bounds every snapshot', async () => {
    const snapshotBytes = 64 * 1024;
    t = await startTestHub({ config: { live: { maxCalls: 500, maxAgents: 600, snapshotBytes } } });
    const hub = t;
    const seeds = await seedEvents();
    // A real agent with its panel open, talking on a real call before the flood.
    const agent = await connectClient(hub.url, '/agent', { token: hub.tokens.agent });
    const up = { ...seeds.up, uniqueid: 'real-call', peer: hub.peer };
    expect((await hub.ingest([up]))[0]?.ok).toBe(true);

    await flood(hub, seeds.ringing, 0, 5000, 'ingest');
    await flood(hub, seeds.ringing, 5000, 1000, 'http');

    expect(await metric(hub, 'shuttle_cti_live_size{kind="calls"}')).toBe(500);
    expect(await metric(hub, 'shuttle_cti_live_size{kind="agents"}')).toBe(600);
    // 6,001 calls seen, 500 kept; 6,001 agents seen, 600 kept.
    expect(await metric(hub, 'shuttle_cti_live_removed_total{kind="call",reason="ceiling"}')).toBe(5501);
    expect(await metric(hub, 'shuttle_cti_live_removed_total{kind="agent",reason="ceiling"}')).toBe(5401);

    const supervisors = await Promise.all(Array.from({ length: 3 }, () => connectClient(hub.url, '/supervisor', { token: hub.tokens.supervisor })));
    const snapshots = await Promise.all(supervisors.map((s) => nextEvent<Snapshot>(s, 'snapshot')));
    for (const snapshot of snapshots) {
      expect(jsonByteLength(snapshot.calls) + jsonByteLength(snapshot.agents)).toBeLessThanOrEqual(snapshotBytes);
      expect(snapshot.calls.length).toBeGreaterThan(0);
      expect(snapshot.calls.length).toBeLessThan(500);
      // The agent with a panel open is always shown, still on its call: the flood evicted its
      // own oldest waiting calls, not the quiet talking one. The newest call is shown.
      expect(snapshot.agents.find((a) => a.peer === hub.peer)).toMatchObject({ state: 'on-call', sessions: 1, uniqueid: 'real-call' });
      expect(snapshot.calls.at(-1)?.uniqueid).toBe('flood-5999');
      expect(snapshot.stats).toMatchObject({ calls: 6001, answered: 1 });
    }
    expect(await metric(hub, 'shuttle_cti_snapshots_truncated_total')).toBe(3);
    for (const s of supervisors) s.close();
    agent.close();
  });

  it('drops waiting calls with no event on the schedule, frees their agents and forgets them once offline', async () => {
    t = await startTestHub({ config: { live: { waitingCallMs: 300, offlineAgentMs: 300, sweepIntervalMs: 50 } } });
    const hub = t;
    const seeds = await seedEvents();
    const agent = await connectClient(hub.url, '/agent', { token: hub.tokens.agent });
    const supervisor = await connectClient(hub.url, '/supervisor', { token: hub.tokens.supervisor });
    await nextEvent(supervisor, 'snapshot');
    await flood(hub, seeds.ringing, 0, 200, 'ingest');
    expect((await hub.ingest([{ ...seeds.ringing, uniqueid: 'panel-call', peer: hub.peer }]))[0]?.ok).toBe(true);

    await until(async () => (await metric(hub, 'shuttle_cti_live_size{kind="calls"}')) === 0, 10_000, 'stale calls to expire');
    // Rung agents without a panel are forgotten; the one with a panel open stays, idle.
    await until(async () => (await metric(hub, 'shuttle_cti_live_size{kind="agents"}')) === 1, 10_000, 'offline agents to be forgotten');
    expect(await metric(hub, 'shuttle_cti_live_removed_total{kind="call",reason="expired"}')).toBe(201);
    expect(await metric(hub, 'shuttle_cti_live_removed_total{kind="agent",reason="expired"}')).toBe(200);
    // Supervisors were told the agent is free again.
    const presences = collect<AgentPresence>(supervisor, ['agent']);
    await until(() => presences.filter((p) => p.peer === hub.peer).at(-1)?.state === 'idle', 10_000, 'the panel agent freed');
    expect(presences.filter((p) => p.peer === hub.peer).map((p) => p.state)).toEqual(['ringing', 'idle']);
    const fresh = await freshSnapshot(hub);
    expect(fresh.calls).toEqual([]);
    expect(fresh.agents.map((a) => a.peer)).toEqual([hub.peer]);
    supervisor.close();
    agent.close();
  });
});

async function freshSnapshot(hub: TestHub): Promise<Snapshot> {
  const supervisor = await connectClient(hub.url, '/supervisor', { token: hub.tokens.supervisor });
  try {
    return await nextEvent<Snapshot>(supervisor, 'snapshot');
  } finally {
    supervisor.close();
  }
}
