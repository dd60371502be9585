import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addWebhook } from '../../src/webhooks/manage.js';
import { seedEvents, startTestHub, until, type TestHub } from '../helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

const fast = { refreshMs: 100, pollMs: 2000, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 400, leaseMs: 3000 };

let hub: TestHub;
const receivers: Receiver[] = [];
let seed: Awaited<ReturnType<typeof seedEvents>>;
let counter = 0;

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

/** A seed event of another call (fresh uniqueid), optionally changed. */
function call(name: 'ringing' | 'up' | 'hangup', changes: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { ...seed[name], uniqueid: `1700000000.${counter}`, queue: 'Support', ...changes };
}

async function ingest(...events: Record<string, unknown>[]): Promise<number[]> {
  const results = await hub.ingest(events);
  return results.map((r) => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.seq;
  });
}

async function metric(name: string): Promise<string> {
  return (await hub.hub.metrics.registry.getSingleMetricAsString(name)) ?? '';
}

// In a worker thread (the default) and in the hub's main thread (webhooks.worker: false).
for (const worker of [true, false]) describe(`webhook delivery (${worker ? 'worker thread' : 'main thread'})`, () => {
  beforeEach(async () => {
    seed = await seedEvents();
    hub = await startTestHub({ config: { webhooks: { ...fast, worker } } });
  });
  afterEach(async () => {
    await hub.stop();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('POSTs the wanted events, signed, in seq order, and stores the cursor', async () => {
    const r = await receiver();
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up', 'hangup'], queues: ['Support'], secret: r.secret });
    const seqs = await ingest(call('ringing'), call('up'), call('up', { queue: 'Sales' }), call('hangup'));
    await until(() => r.received.length >= 2, 5000, 'two deliveries');
    expect(r.received.map((x) => x.headers['x-shuttle-event'])).toEqual(['up', 'hangup']);
    expect(r.received.map((x) => Number(x.headers['x-shuttle-seq']))).toEqual([seqs[1], seqs[3]]);
    for (const x of r.received) {
      expect(x.signed).toBe(true);
      expect(x.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(x.headers['x-shuttle-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    }
    // The body is the event as integrations get it: numbered, timed, with its variables.
    const stored = await hub.hub.store.eventsAfter((seqs[1] ?? 0) - 1, 1);
    expect(r.received[0]?.json).toEqual(stored[0]);
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.cursor === seqs[3], 5000, 'cursor stored');
    expect(await hub.hub.store.getWebhook(record.id)).toMatchObject({ delivered: 2, failed: 0, lastStatus: 200, lastError: null });
    // The counts of a worker thread reach the hub's metrics by message, just after.
    await until(async () => new RegExp(`webhook="${record.id}",result="delivered"} 2`).test(await metric('shuttle_cti_webhook_deliveries_total')), 5000, 'counted');
    // Delivered from where this run says (a worker that failed to start falls back to the main thread).
    expect(await metric('shuttle_cti_webhook_worker')).toMatch(new RegExp(`shuttle_cti_webhook_worker ${worker ? 1 : 0}`));
  });

  it('a wrong secret does not verify', async () => {
    const r = await receiver();
    await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: 'another-secret-0123456789' });
    await ingest(call('up'));
    await until(() => r.received.length === 1);
    expect(r.received[0]?.signed).toBe(false);
  });

  it('retries a failing endpoint with back-off and keeps the order', async () => {
    const r = await receiver();
    r.answer((_x, i) => (i < 3 ? { status: 503, body: { error: 'busy' } } : { status: 200 }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret });
    const seqs = await ingest(call('up'), call('up'));
    await until(() => r.received.length >= 5, 5000, 'retries then deliveries');
    expect(r.received.map((x) => Number(x.headers['x-shuttle-seq']))).toEqual([seqs[0], seqs[0], seqs[0], seqs[0], seqs[1]]);
    const gaps = r.received.slice(1, 4).map((x, i) => x.at - (r.received[i]?.at ?? 0));
    // Base 50 ms doubling (capped at 200), scaled by 50–100 %: at least 25, 50, 100 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(20);
    expect(gaps[2]).toBeGreaterThanOrEqual(90);
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.delivered === 2);
    const w = await hub.hub.store.getWebhook(record.id);
    expect(w).toMatchObject({ failed: 3, delivered: 2, dropped: 0, lastStatus: 200 });
  });

  it('counts an endpoint that does not answer within the timeout as failed, then delivers', async () => {
    const r = await receiver();
    r.answer((_x, i) => (i === 0 ? 'hang' : { status: 204 }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret });
    const [seq] = await ingest(call('up'));
    await until(() => r.received.length >= 2, 5000, 'a retry after the timeout');
    expect(r.received.map((x) => Number(x.headers['x-shuttle-seq']))).toEqual([seq, seq]);
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.delivered === 1);
    await until(async () => new RegExp(`webhook="${record.id}",result="failed"} 1`).test(await metric('shuttle_cti_webhook_deliveries_total')), 5000, 'counted');
  });

  it('a dead endpoint holds back neither the hub nor another webhook', async () => {
    const dead = await receiver();
    dead.answer(() => 'hang');
    const alive = await receiver();
    alive.answer(() => ({ status: 200, body: {}, delayMs: 20 }));
    await addWebhook(hub.hub.store, { url: dead.url, events: ['up'], secret: dead.secret });
    await addWebhook(hub.hub.store, { url: alive.url, events: ['up'], secret: alive.secret });
    await until(() => hub.hub.store.listWebhooks().then((l) => l.length === 2));
    const seqs: number[] = [];
    for (let i = 0; i < 20; i++) seqs.push(...(await ingest(call('up'))));
    await until(() => alive.received.length >= 20, 10_000, 'the live endpoint gets every event');
    expect(alive.received.map((x) => Number(x.headers['x-shuttle-seq']))).toEqual(seqs);
    // Meanwhile the dead one got only its first event, again and again (one request at a time).
    expect(new Set(dead.received.map((x) => x.headers['x-shuttle-seq']))).toEqual(new Set([String(seqs[0])]));
  });

  it('410 Gone disables the webhook', async () => {
    const r = await receiver();
    r.answer(() => ({ status: 410 }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret });
    await ingest(call('up'), call('up'));
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.state === 'disabled', 5000, 'disabled');
    await until(() => !hub.hub.webhooks().includes(record.id), 5000, 'its loop stopped');
    // Another webhook, added after, sees the next event: by then the disabled one would have too.
    const sentinel = await receiver();
    const other = await addWebhook(hub.hub.store, { url: sentinel.url, events: ['up'], secret: sentinel.secret });
    await until(() => hub.hub.webhooks().includes(other.record.id), 5000, 'the other webhook running');
    await ingest(call('up'));
    await until(() => sentinel.received.length === 1, 5000, 'the other webhook delivered');
    expect(r.received).toHaveLength(1);
    expect(await hub.hub.store.getWebhook(record.id)).toMatchObject({ lastStatus: 410, delivered: 0 });
  });

  it('drops an event still failing at maxAge, counts it, and goes on', async () => {
    const r = await receiver();
    let failFirst = true;
    r.answer((x) => (failFirst && x.json['uniqueid'] === first['uniqueid'] ? { status: 500 } : { status: 200 }));
    const first = call('up');
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret, maxAgeMs: 1000 });
    // Age counts from the event's time: start once the loop runs, so it has its second to retry in.
    await until(() => hub.hub.webhooks().includes(record.id), 5000, 'delivery running');
    const seqs = await ingest(first, call('up'));
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.dropped === 1, 5000, 'dropped');
    failFirst = false;
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.delivered === 1, 5000, 'the next delivered');
    const w = await hub.hub.store.getWebhook(record.id);
    expect(w?.cursor).toBe(seqs[1]);
    expect(r.received.filter((x) => Number(x.headers['x-shuttle-seq']) === seqs[0]).length).toBeGreaterThan(1);
    await until(async () => new RegExp(`webhook="${record.id}",result="dropped"} 1`).test(await metric('shuttle_cti_webhook_deliveries_total')), 5000, 'counted');
  });

  it('a removed webhook gets nothing more', async () => {
    const r = await receiver();
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret });
    await ingest(call('up'));
    await until(() => r.received.length === 1);
    expect(await hub.hub.store.deleteWebhook(record.id)).toBe(true);
    await until(() => !hub.hub.webhooks().includes(record.id), 5000, 'its loop stopped');
    const sentinel = await receiver();
    const other = await addWebhook(hub.hub.store, { url: sentinel.url, events: ['up'], secret: sentinel.secret });
    await until(() => hub.hub.webhooks().includes(other.record.id), 5000, 'the other webhook running');
    await ingest(call('up'));
    await until(() => sentinel.received.length === 1, 5000, 'the other webhook delivered');
    expect(r.received).toHaveLength(1);
  });
});
