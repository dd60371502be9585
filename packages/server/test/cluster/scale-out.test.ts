import { connect as connectSdk, type CallEvent, type CtiClient } from '@shuttle-cti/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvents } from '../helpers.js';
import { createClusterEnv, describeCluster, metric, postEvents, ringing, type ClusterEnv } from './cluster-env.js';
import { connectWithFailover, sessionsIn, until } from './failover-client.js';
import type { HubProcess } from './hub-process.js';

const callEventNames = ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound'] as const;

/** An SDK integration that records the seq of every call event its handlers see. */
function sdkIntegration(urls: string[], token: string): { client: CtiClient; seqs: number[]; close(): void } {
  const client = connectSdk(urls, { token, reconnectDelay: 50, reconnectDelayMax: 200, socketOptions: { transports: ['websocket'] } });
  const seqs: number[] = [];
  for (const name of callEventNames) client.on(name, (event: CallEvent) => seqs.push(event.seq));
  client.on('error', () => undefined);
  return { client, seqs, close: () => client.close() };
}

const increasing = (seqs: readonly number[]): boolean => seqs.every((s, i) => i === 0 || s > (seqs[i - 1] ?? 0));

describeCluster('several hubs sharing PostgreSQL and Redis', () => {
  let env: ClusterEnv;
  let a: HubProcess;
  let b: HubProcess;
  const open: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T): T => {
    open.push(client);
    return client;
  };
  let seed: Record<string, unknown>;

  beforeAll(async () => {
    env = await createClusterEnv();
    [a, b] = await Promise.all([env.startHub('hub-a'), env.startHub('hub-b')]);
    seed = (await seedEvents()).ringing;
  }, 120_000);

  afterAll(async () => {
    for (const client of open) client.close();
    await env?.cleanup();
  }, 60_000);

  /** Waits until both hubs have subscribed and heard each other, so cross-hub messages have somewhere to go. */
  async function clusterFormed(hubs: HubProcess[]): Promise<void> {
    for (const hub of hubs) {
      await until(async () => (await metric(hub.url, 'shuttle_cti_cluster_hubs')) === hubs.length, `${hub.name} to see ${hubs.length} hubs`);
    }
  }

  describe('routing across hubs', () => {
    it('delivers an AgentCTI sent at hub A to the agent on hub B, with the right delivered count', async () => {
      await clusterFormed([a, b]);
      const peer = 'SIP/cross.hub';
      const agentB = track(connectWithFailover([b.url], '/agent', await env.tokens.agent(peer), { ackCommands: true }));
      await until(() => agentB.of('welcome').length > 0, 'agent welcome');
      const integration = track(sdkIntegration([a.url], env.tokens.integration));
      await integration.client.ready;

      const result = await integration.client.wakeup('https://crm.example/cross', peer, 'new_frame');
      expect(result).toMatchObject({ delivered: 1, queued: 0 });
      await until(() => agentB.of('AgentCTI').some((p) => p['id'] === result.id), 'the pop on hub B');
      expect(agentB.of('AgentCTI').filter((p) => p['id'] === result.id)).toHaveLength(1);

      // A second session of the same peer on hub A: both get it, and the count says two.
      const agentA = track(connectWithFailover([a.url], '/agent', await env.tokens.agent(peer), { ackCommands: true }));
      await until(() => agentA.of('welcome').length > 0, 'second agent welcome');
      const note = await integration.client.notification(peer, 'info', 'Both', 'hubs');
      expect(note).toMatchObject({ delivered: 2, queued: 0 });
      await until(() => agentA.of('AgentCTINotification').length === 1 && agentB.of('AgentCTINotification').length === 1, 'the notification on both hubs');
    });

    it('shows supervisors on either hub every agent, Integration Realtime row and call event', async () => {
      await clusterFormed([a, b]);
      const supA = track(connectWithFailover([a.url], '/supervisor', env.tokens.supervisor));
      const supB = track(connectWithFailover([b.url], '/supervisor', env.tokens.supervisor));
      await until(() => supA.of('snapshot').length > 0 && supB.of('snapshot').length > 0, 'snapshots');

      const peer = 'SIP/seen.everywhere';
      const agentB = track(connectWithFailover([b.url], '/agent', await env.tokens.agent(peer)));
      await until(() => agentB.of('welcome').length > 0, 'agent welcome');
      await until(() => sessionsIn(supA, peer) === 1, 'presence of the hub-B agent on hub A');

      // A supervisor connecting later to hub A finds that agent in its snapshot.
      const late = track(connectWithFailover([a.url], '/supervisor', env.tokens.supervisor));
      const snapshot = await until(() => late.of('snapshot')[0], 'late snapshot');
      const agents = snapshot['agents'] as { peer: string; sessions: number }[];
      expect(agents.find((x) => x.peer === peer)?.sessions).toBe(1);

      const integrationB = track(sdkIntegration([b.url], env.tokens.integration));
      await integrationB.client.ready;
      const row = await integrationB.client.pushevent('crm', { callernum: '555' }, 'REF-1', 'https://crm.example/ref/1');
      await until(() => supA.of('RealtimeCTI').some((r) => r['id'] === row.id), 'the realtime row on hub A');
      expect(supA.of('RealtimeCTI').filter((r) => r['id'] === row.id)).toHaveLength(1);
      expect(supB.of('RealtimeCTI').filter((r) => r['id'] === row.id)).toHaveLength(1);

      // A call of that agent ingested at hub A: the agent on B and both supervisors get it.
      const [seq] = await postEvents(a.url, env.tokens.source, [ringing(seed, peer, 1)]);
      expect(seq).toBeGreaterThan(0);
      await until(() => agentB.of('ringing').some((e) => e['seq'] === seq), 'the call event on the agent of hub B');
      expect(agentB.of('ringing').filter((e) => e['seq'] === seq)).toHaveLength(1);
      await until(() => supA.seqs().includes(seq as number) && supB.seqs().includes(seq as number), 'the call event on both supervisors');
      await until(
        () => late.of('agent').some((p) => p['peer'] === peer && p['state'] === 'ringing'),
        'the ringing state of the hub-B agent, seen on hub A',
      );
    });

    it('delivers events ingested at both hubs to integrations on both, in seq order, each once', async () => {
      const { last: before } = await env.store.seqRange();
      const onA = track(connectWithFailover([a.url], '/', env.tokens.integration));
      const onB = track(connectWithFailover([b.url], '/', env.tokens.integration));
      const sdkA = track(sdkIntegration([a.url], env.tokens.integration));
      await sdkA.client.ready;
      await until(() => onA.of('welcome').length > 0 && onB.of('welcome').length > 0, 'welcomes');

      // 40 requests of 5 events, alternating hubs, 8 at a time: appends of both hubs interleave.
      const accepted: number[] = [];
      for (let round = 0; round < 5; round++) {
        const requests = Array.from({ length: 8 }, (_, i) => {
          const n = round * 8 + i;
          const events = Array.from({ length: 5 }, (_, k) => ringing(seed, 'SIP/nobody', 1000 + n * 5 + k));
          return postEvents(n % 2 === 0 ? a.url : b.url, env.tokens.source, events);
        });
        for (const seqs of await Promise.all(requests)) accepted.push(...seqs);
      }
      expect(accepted).toHaveLength(200);

      const stored = (await env.store.eventsAfter(before, 1000)).map((e) => e.seq);
      expect([...accepted].sort((x, y) => x - y)).toEqual(stored);
      const last = stored[stored.length - 1];
      for (const [name, seqs] of [
        ['raw client on A', () => onA.seqs()],
        ['raw client on B', () => onB.seqs()],
        ['SDK client on A', () => sdkA.seqs],
      ] as const) {
        await until(() => seqs().includes(last as number), `${name} to reach seq ${String(last)}`);
        const got = seqs().filter((s) => s > before);
        expect(got, `${name}: every stored seq once, in order`).toEqual(stored);
        expect(increasing(got)).toBe(true);
      }
    });

    it('does not serve custom variables changed through hub B from a stale cache on hub A', async () => {
      const uniqueid = 'cluster-variables-1';
      const set = async (hub: HubProcess, variables: Record<string, string>): Promise<void> => {
        const response = await fetch(`${hub.url}/api/v1/calls/${uniqueid}/variables`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${env.tokens.source}` },
          body: JSON.stringify({ variables }),
        });
        expect(response.status).toBe(200);
      };
      const integration = track(sdkIntegration([a.url], env.tokens.integration));
      await integration.client.ready;
      await set(a, { order: 'first' });
      expect(await integration.client.variables(uniqueid)).toEqual({ order: 'first' }); // now cached on A

      await set(b, { order: 'second' });
      await until(async () => (await integration.client.variables(uniqueid))['order'] === 'second', 'hub A to serve the new value');
      // Events ingested at A afterwards carry the new value too.
      const raw = track(connectWithFailover([a.url], '/', env.tokens.integration));
      await until(() => raw.of('welcome').length > 0, 'welcome');
      const [seq] = await postEvents(a.url, env.tokens.source, [{ ...ringing(seed, 'SIP/nobody', 5000), uniqueid }]);
      const event = await until(() => raw.of('ringing').find((e) => e['seq'] === seq), 'the event');
      expect(event['variables']).toEqual({ order: 'second' });
    });
  });

  describe('a hub killed', () => {
    it('keeps its clients going on the other hub without loss or duplicates', async () => {
      await clusterFormed([a, b]);
      const peer = 'SIP/moves.over';
      const { last: before } = await env.store.seqRange();
      // Everything starts on hub A (first URL), and knows hub B as the fallback.
      const raw = track(connectWithFailover([a.url, b.url], '/', env.tokens.integration, { resume: true }));
      const sdk = track(sdkIntegration([a.url, b.url], env.tokens.integration));
      const agent = track(connectWithFailover([a.url, b.url], '/agent', await env.tokens.agent(peer), { ackCommands: true }));
      const supB = track(connectWithFailover([b.url], '/supervisor', env.tokens.supervisor));
      await sdk.client.ready;
      await until(() => raw.connectedTo() === a.url && agent.connectedTo() === a.url && supB.of('snapshot').length > 0, 'clients on their hubs');
      await until(() => sessionsIn(supB, peer) === 1, 'hub B to see the agent of hub A');

      // A steady feed into both hubs; hub A is killed (SIGKILL) part-way through.
      const accepted: number[] = [];
      let n = 0;
      for (; n < 120; n++) {
        const target = n % 2 === 0 && a.alive ? a : b;
        try {
          accepted.push(...(await postEvents(target.url, env.tokens.source, [ringing(seed, n % 10 === 0 ? peer : 'SIP/nobody', 10_000 + n)])));
        } catch {
          // hub A is gone: that event was never acknowledged, so it does not count.
        }
        if (n === 40) await a.kill('SIGKILL');
      }
      expect(a.alive).toBe(false);
      expect(accepted.length).toBeGreaterThanOrEqual(100);

      const stored = (await env.store.eventsAfter(before, 1000)).map((e) => e.seq);
      expect([...accepted].sort((x, y) => x - y)).toEqual(stored);
      const last = stored[stored.length - 1] as number;
      await until(() => raw.connectedTo() === b.url && raw.seqs().includes(last), 'the raw client to resume on hub B');
      await until(() => sdk.seqs.includes(last), 'the SDK client to resume on hub B');
      expect(raw.seqs().filter((s) => s > before), 'raw client: no loss, no duplicate, in order').toEqual(stored);
      expect(sdk.seqs.filter((s) => s > before), 'SDK client: no loss, no duplicate, in order').toEqual(stored);

      // The agent is on hub B now: commands reach it exactly once, and hub B counts one session.
      await until(() => agent.connectedTo() === b.url, 'the agent to move to hub B');
      const integrationB = track(sdkIntegration([b.url], env.tokens.integration));
      await integrationB.client.ready;
      const pop = await integrationB.client.wakeup('https://crm.example/after-failover', peer, 'new_tab');
      await until(() => agent.of('AgentCTI').some((p) => p['id'] === pop.id), 'the pop after failover');
      expect(agent.of('AgentCTI').filter((p) => p['id'] === pop.id)).toHaveLength(1);
      // Hub A's sessions stop counting once it has been silent for 3 heartbeats.
      await until(async () => (await metric(b.url, 'shuttle_cti_cluster_hubs')) === 1, 'hub B to forget hub A');
      await until(() => sessionsIn(supB, peer) === 1, "one session of the moved agent in hub B's view");
      const late = track(connectWithFailover([b.url], '/supervisor', env.tokens.supervisor));
      const snapshot = await until(() => late.of('snapshot')[0], 'a new snapshot on hub B');
      expect((snapshot['agents'] as { peer: string; sessions: number }[]).find((x) => x.peer === peer)?.sessions).toBe(1);
    });
  });
});
