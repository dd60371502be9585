import { ringingInput, type StreamEvent } from '@shuttle-cti/protocol';
import type { Store, UnnumberedEvent } from '@shuttle-cti/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestSqliteStore, type TestSqliteStore } from '../../../store/test/sqlite-helpers.js';
import { createSequencer } from '../../src/cluster/sequencer.js';
import { createLogger } from '../../src/logger.js';
import { seedEvents } from '../helpers.js';
import { until } from '../../../../test-support/poll.js';

/**
 * The sequencer against a real store: "another hub" is simply an append that this hub
 * was not told about, or only heard of through ring().
 */
let db: TestSqliteStore | undefined;
afterEach(async () => {
  await db?.cleanup();
  db = undefined;
});

async function setup(): Promise<{ store: Store; published: number[]; batches: number[][]; append: (n: number) => Promise<StreamEvent[]> }> {
  db = await createTestSqliteStore();
  const store = db.store;
  const { ringing } = await seedEvents();
  let n = 0;
  const append = (count: number): Promise<StreamEvent[]> =>
    store.appendEvents(
      Array.from({ length: count }, (): UnnumberedEvent => ({ ...ringingInput.parse(ringing), ringing: true, uniqueid: `seq-${n++}`, time: new Date().toISOString(), variables: {} })),
    );
  return { store, published: [], batches: [], append };
}

const waitFor = async (check: () => boolean, what: string): Promise<void> => {
  await until(check, { what, everyMs: 5 });
};

describe('sequencer', () => {
  it('publishes own events at once when they continue the stream, without reading the store', async () => {
    const t = await setup();
    let reads = 0;
    const store: Store = { ...t.store, eventsAfter: (after, limit) => (reads++, t.store.eventsAfter(after, limit)) };
    const s = createSequencer({ store, logger: createLogger('silent'), from: 0, publish: (events) => t.batches.push(events.map((e) => e.seq)) });
    s.offer(await t.append(3));
    s.offer(await t.append(2));
    await s.idle();
    expect(t.batches).toEqual([[1, 2, 3], [4, 5]]);
    expect(reads).toBe(0);
  });

  it('reads events other hubs stored in between from the store, so the published stream has no gap', async () => {
    const t = await setup();
    const s = createSequencer({ store: t.store, logger: createLogger('silent'), from: 0, publish: (events) => t.published.push(...events.map((e) => e.seq)) });
    await t.append(2); // another hub's, not announced yet
    s.offer(await t.append(2)); // ours: 3, 4
    await waitFor(() => t.published.length === 4, 'four events');
    expect(t.published).toEqual([1, 2, 3, 4]);

    await t.append(3); // another hub's: 5..7, announced by its doorbell
    s.ring(7);
    s.offer(await t.append(1)); // ours: 8
    await waitFor(() => t.published.length === 8, 'eight events');
    expect(t.published).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('finds unannounced events on poll(), and publishes nothing twice when a doorbell and its own batch overlap', async () => {
    const t = await setup();
    const s = createSequencer({ store: t.store, logger: createLogger('silent'), from: 0, publish: (events) => t.published.push(...events.map((e) => e.seq)) });
    const own = await t.append(3);
    s.ring(3); // the store read publishes 1..3 first
    await s.idle();
    s.offer(own); // then our own copy arrives: already published
    await t.append(2);
    s.poll();
    await waitFor(() => t.published.length === 5, 'five events');
    await s.idle();
    expect(t.published).toEqual([1, 2, 3, 4, 5]);
  });

  it('pages through a long backlog in order', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) await t.append(100);
    const s = createSequencer({ store: t.store, logger: createLogger('silent'), from: 0, pageSize: 64, publish: (events) => t.published.push(...events.map((e) => e.seq)) });
    s.ring(500);
    await waitFor(() => t.published.length === 500, 'the backlog');
    expect(t.published).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('gives up on a doorbell for events its store does not have, instead of looping', async () => {
    const t = await setup();
    let reads = 0;
    const store: Store = { ...t.store, eventsAfter: (after, limit) => (reads++, t.store.eventsAfter(after, limit)) };
    const s = createSequencer({ store, logger: createLogger('silent'), from: 0, publish: (events) => t.published.push(...events.map((e) => e.seq)) });
    s.ring(1000);
    await s.idle();
    expect(reads).toBe(1);
    expect(s.published()).toBe(0);
    s.offer(await t.append(1)); // and it carries on normally afterwards
    await s.idle();
    expect(t.published).toEqual([1]);
  });

  it('retries after the store failed, when polled again', async () => {
    const t = await setup();
    let down = true;
    const store: Store = { ...t.store, eventsAfter: (after, limit) => (down ? Promise.reject(new Error('store down')) : t.store.eventsAfter(after, limit)) };
    const s = createSequencer({ store, logger: createLogger('silent'), from: 0, publish: (events) => t.published.push(...events.map((e) => e.seq)) });
    await t.append(2);
    s.ring(2);
    await s.idle();
    expect(t.published).toEqual([]);
    down = false;
    s.poll();
    await waitFor(() => t.published.length === 2, 'the events after recovery');
    expect(t.published).toEqual([1, 2]);
  });
});
