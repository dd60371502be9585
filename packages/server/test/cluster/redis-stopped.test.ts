import { connect as connectSdk, type CtiClient } from '@shuttle-cti/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedEvents } from '../helpers.js';
import { createClusterEnv, describeCluster, metric, postEvents, ringing, testRedisUrl, type ClusterEnv } from './cluster-env.js';
import { connectWithFailover, until, type FailoverClient } from './failover-client.js';
import type { HubProcess } from './hub-process.js';
import { startRedisRelay, type RedisRelay } from './redis-relay.js';

describeCluster('fault: Redis stopped in a multi-hub set-up', () => {
  let env: ClusterEnv;
  let relay: RedisRelay;
  let a: HubProcess;
  let b: HubProcess;
  const open: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T): T => {
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    env = await createClusterEnv();
    relay = await startRedisRelay(testRedisUrl);
    [a, b] = await Promise.all([env.startHub('hub-a', relay.url), env.startHub('hub-b', relay.url)]);
  }, 120_000);

  afterAll(async () => {
    for (const client of open) client.close();
    await env?.cleanup();
    await relay?.close();
  }, 60_000);

  const integration = async (url: string): Promise<CtiClient> => {
    const client = track(connectSdk(url, { token: env.tokens.integration, socketOptions: { transports: ['websocket'] } }));
    client.on('error', () => undefined);
    await client.ready;
    return client;
  };
  const agent = async (url: string, peer: string): Promise<FailoverClient> => {
    const client = track(connectWithFailover([url], '/agent', await env.tokens.agent(peer), { ackCommands: true }));
    await until(() => client.of('welcome').length > 0, `agent ${peer} welcome`);
    return client;
  };
  const redisUp = async (hub: HubProcess): Promise<number | undefined> => metric(hub.url, 'shuttle_cti_cluster_redis_up');

  it('keeps each hub serving its own clients, logs the fault once, and resumes cross-hub routing when Redis is back', async () => {
    const seed = (await seedEvents()).ringing;
    for (const hub of [a, b]) await until(async () => (await metric(hub.url, 'shuttle_cti_cluster_hubs')) === 2, `${hub.name} to see both hubs`);
    const agentA = await agent(a.url, 'SIP/on.hub.a');
    const agentB = await agent(b.url, 'SIP/on.hub.b');
    const integrationA = await integration(a.url);
    const integrationB = await integration(b.url);
    const rawA = track(connectWithFailover([a.url], '/', env.tokens.integration));
    const rawB = track(connectWithFailover([b.url], '/', env.tokens.integration));
    await until(() => rawA.of('welcome').length > 0 && rawB.of('welcome').length > 0, 'integration welcomes');
    expect(await integrationA.wakeup('https://crm.example/before', 'SIP/on.hub.b', 'new_frame')).toMatchObject({ delivered: 1 });

    // Redis goes away.
    relay.cut();
    for (const hub of [a, b]) await until(async () => (await redisUp(hub)) === 0, `${hub.name} to notice Redis is gone`);

    // Each hub still serves its own clients: pops to local agents, call events to local integrations.
    const localA = await integrationA.wakeup('https://crm.example/local-a', 'SIP/on.hub.a', 'new_frame');
    const localB = await integrationB.wakeup('https://crm.example/local-b', 'SIP/on.hub.b', 'new_frame');
    expect(localA).toMatchObject({ delivered: 1, queued: 0 });
    expect(localB).toMatchObject({ delivered: 1, queued: 0 });
    await until(() => agentA.of('AgentCTI').some((p) => p['id'] === localA.id), 'the local pop on hub A');
    await until(() => agentB.of('AgentCTI').some((p) => p['id'] === localB.id), 'the local pop on hub B');

    const { last: before } = await env.store.seqRange();
    const during: number[] = [];
    for (let i = 0; i < 10; i++) during.push(...(await postEvents(a.url, env.tokens.source, [ringing(seed, 'SIP/on.hub.a', 100 + i)])));
    expect(during).toHaveLength(10);
    await until(() => rawA.seqs().includes(during[9] as number), 'hub A to publish its events to its own integration');
    expect(rawA.seqs().filter((s) => s > before)).toEqual(during);

    // A pop for an agent on the other hub cannot cross now: it is kept, not lost.
    const crossing = await integrationA.wakeup('https://crm.example/crossing', 'SIP/on.hub.b', 'new_frame');
    expect(crossing).toMatchObject({ delivered: 0, queued: 1 });

    // The hubs keep retrying (every connection refused is one attempt), yet each logged the fault once.
    await until(() => relay.refused >= 8, 'several reconnection attempts');
    for (const hub of [a, b]) {
      expect(hub.alive, `${hub.name} still running`).toBe(true);
      expect(hub.logged('Redis unreachable'), `${hub.name}: one log line for the outage`).toHaveLength(1);
    }

    // Redis is back: cross-hub routing resumes by itself.
    relay.restore();
    for (const hub of [a, b]) await until(async () => (await redisUp(hub)) === 1, `${hub.name} to reconnect to Redis`);
    await until(() => agentB.of('AgentCTI').some((p) => p['id'] === crossing.id), 'the kept pop to reach hub B');
    await until(() => rawB.seqs().includes(during[9] as number), "hub B's integration to get the events hub A took during the outage");
    expect(rawB.seqs().filter((s) => s > before), 'in order, none lost, none twice').toEqual(during);

    const after = await integrationA.wakeup('https://crm.example/after', 'SIP/on.hub.b', 'new_frame');
    expect(after).toMatchObject({ delivered: 1, queued: 0 });
    await until(() => agentB.of('AgentCTI').some((p) => p['id'] === after.id), 'a new cross-hub pop');
    const [seq] = await postEvents(a.url, env.tokens.source, [ringing(seed, 'SIP/on.hub.b', 200)]);
    await until(() => rawB.seqs().includes(seq as number) && agentB.of('ringing').some((e) => e['seq'] === seq), 'a new cross-hub event');

    for (const id of [localB.id, crossing.id, after.id]) expect(agentB.of('AgentCTI').filter((p) => p['id'] === id), `pop ${id} once`).toHaveLength(1);
    for (const hub of [a, b]) {
      expect(hub.logged('Redis unreachable')).toHaveLength(1);
      expect(hub.logged('Redis reachable again')).toHaveLength(1);
    }
  });

  it('notices a Redis that stops answering without closing its connections (a partition), and recovers', async () => {
    for (const hub of [a, b]) await until(async () => (await redisUp(hub)) === 1, `${hub.name} on Redis`);
    const agentA = await agent(a.url, 'SIP/partition.a');
    const agentB = await agent(b.url, 'SIP/partition.b');
    const integrationA = await integration(a.url);
    const silence = (): number => a.lines.filter((line) => line.includes('no answer from Redis')).length;
    const silentBefore = silence();

    relay.freeze();
    for (const hub of [a, b]) await until(async () => (await redisUp(hub)) === 0, `${hub.name} to notice the silence`);
    expect(silence()).toBeGreaterThan(silentBefore);
    const local = await integrationA.wakeup('https://crm.example/partition-local', 'SIP/partition.a', 'new_tab');
    expect(local).toMatchObject({ delivered: 1 });
    await until(() => agentA.of('AgentCTI').some((p) => p['id'] === local.id), 'the local pop during the partition');

    relay.restore();
    for (const hub of [a, b]) await until(async () => (await redisUp(hub)) === 1, `${hub.name} back on Redis`);
    await until(async () => (await metric(a.url, 'shuttle_cti_cluster_hubs')) === 2, 'hub A to see hub B again');
    const crossing = await integrationA.wakeup('https://crm.example/partition-cross', 'SIP/partition.b', 'new_tab');
    expect(crossing).toMatchObject({ delivered: 1 });
    await until(() => agentB.of('AgentCTI').some((p) => p['id'] === crossing.id), 'a cross-hub pop after the partition');
  });

  it('starts a hub while Redis is down: it serves its own clients, then joins the others when Redis comes', async () => {
    const seed = (await seedEvents()).ringing;
    relay.cut();
    const c = await env.startHub('hub-c', relay.url);
    expect(await redisUp(c)).toBe(0);
    await until(() => c.logged('Redis unreachable').length > 0, 'hub C to log that Redis is unreachable');

    const agentC = await agent(c.url, 'SIP/on.hub.c');
    const integrationC = await integration(c.url);
    expect(await integrationC.wakeup('https://crm.example/c', 'SIP/on.hub.c', 'new_tab')).toMatchObject({ delivered: 1 });
    const rawC = track(connectWithFailover([c.url], '/', env.tokens.integration));
    await until(() => rawC.of('welcome').length > 0, 'welcome on hub C');
    const [seq] = await postEvents(c.url, env.tokens.source, [ringing(seed, 'SIP/on.hub.c', 300)]);
    await until(() => rawC.seqs().includes(seq as number), 'hub C to publish to its own integration');

    relay.restore();
    for (const hub of [a, b, c]) await until(async () => (await metric(hub.url, 'shuttle_cti_cluster_hubs')) === 3, `${hub.name} to see three hubs`);
    const integrationA = await integration(a.url);
    const pop = await integrationA.wakeup('https://crm.example/a-to-c', 'SIP/on.hub.c', 'new_frame');
    expect(pop).toMatchObject({ delivered: 1, queued: 0 });
    await until(() => agentC.of('AgentCTI').some((p) => p['id'] === pop.id), 'a pop from hub A on hub C');
    expect(c.logged('Redis reachable again')).toHaveLength(1);
    expect(c.logged('Redis unreachable')).toHaveLength(1);
  });
});
