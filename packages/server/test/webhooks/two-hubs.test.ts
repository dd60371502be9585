import { afterAll, beforeAll, expect, it } from 'vitest';
import { addWebhook } from '../../src/webhooks/manage.js';
import { createClusterEnv, describeCluster, postEvents, type ClusterEnv } from '../cluster/cluster-env.js';
import type { HubProcess } from '../cluster/hub-process.js';
import { seedEvents, until } from '../helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

describeCluster('webhooks with two hubs sharing PostgreSQL', () => {
  let env: ClusterEnv;
  let receiver: Receiver;
  beforeAll(async () => {
    env = await createClusterEnv({}, { webhooks: { refreshMs: 200, leaseMs: 1500, pollMs: 2000, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 5000 } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await env.cleanup();
    await receiver.close();
  });

  it('one hub delivers at a time; when it is killed the other takes over without loss', { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([env.startHub('hub-a'), env.startHub('hub-b')]);
    if (!a || !b) throw new Error('hubs did not start');
    const { record } = await addWebhook(env.store, { url: receiver.url, events: ['up'], secret: receiver.secret });
    const started = (h: HubProcess): boolean => h.logged('webhook delivery started').some((l) => l.includes(record.id));
    const owner: HubProcess = await until<HubProcess | undefined>(() => (started(a) ? a : started(b) ? b : undefined), 10_000, 'a hub delivering the webhook').then((h) => {
      if (!h) throw new Error('no hub delivering');
      return h;
    });
    const other = owner === a ? b : a;
    expect(started(other)).toBe(false);

    // The 8th delivery never gets an answer: its hub is killed with it in flight.
    let hangAt = 7;
    receiver.answer((_r, i) => (i === hangAt ? 'hang' : { status: 200 }));
    const { up } = await seedEvents();
    const acked: number[] = [];
    // Posted to the hub that does not deliver: events reach the webhook through the shared store.
    for (let n = 0; n < 20; n++) acked.push(...(await postEvents(other.url, env.tokens.source, [{ ...up, uniqueid: `1700000400.${n}` }])));
    expect(acked).toHaveLength(20);
    await until(() => receiver.received.length > hangAt, 20_000, 'the delivery in flight');
    await owner.kill('SIGKILL');
    hangAt = -1;
    for (let n = 20; n < 25; n++) acked.push(...(await postEvents(other.url, env.tokens.source, [{ ...up, uniqueid: `1700000400.${n}` }])));

    await until(() => new Set(receiver.received.map((r) => Number(r.headers['x-shuttle-seq']))).size === acked.length, 30_000, 'every event delivered');
    expect(started(other)).toBe(true);
    const seqs = receiver.received.map((r) => Number(r.headers['x-shuttle-seq']));
    const repeats = seqs.filter((s, i) => seqs.indexOf(s) !== i);
    expect(repeats).toEqual([seqs[7]]);
    expect(seqs.filter((s, i) => seqs.indexOf(s) === i)).toEqual([...acked].sort((x, y) => x - y));
    // Never two deliveries at once: exactly one hub held the webhook at any time.
    expect(receiver.maxOpen()).toBe(1);
    expect((await env.store.getWebhook(record.id))?.leaseOwner).not.toBeNull();
  });
});
