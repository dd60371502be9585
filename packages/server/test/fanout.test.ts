import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scopeMatcher, type StreamEvent } from '@shuttle-cti/protocol';
import { createSqliteStore, type Store, type UnnumberedEvent } from '@shuttle-cti/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFanout, type Subscriber } from '../src/core/fanout.js';
import { createLogger } from '../src/logger.js';

const ringing = (uniqueid: string, queue = 'Sales', peer = 'SIP/100'): UnnumberedEvent =>
  ({
    event: 'ringing',
    ringing: true,
    uniqueid,
    peer,
    agentname: 'Agent 100',
    agentnum: '100',
    direction: 'inbound',
    queue,
    callernum: '0102030405',
    time: new Date().toISOString(),
    variables: {},
  });

function subscriber(id: string, namespace?: string, scope?: { queues: string[]; peers: string[] }): Subscriber & { got: number[] } {
  const got: number[] = [];
  return { id, ...(namespace ? { namespace } : {}), ...(scope ? { scope: scopeMatcher(scope) } : {}), got, send: (event) => got.push(event.seq), truncated: () => undefined };
}

describe('fan-out of live events', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-fanout-'));
    store = createSqliteStore({ file: join(dir, 'db.sqlite'), backgroundCheckpoints: false });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends each live event once per namespace to all its subscribers, and to the others one by one', async () => {
    const broadcasts: { namespace: string; ids: string[]; seq: number }[] = [];
    const fanout = createFanout(store, createLogger('silent'), (namespace, ids, event) => broadcasts.push({ namespace, ids: [...ids], seq: event.seq }));
    const a = subscriber('a', '/');
    const b = subscriber('b', '/');
    const s = subscriber('s', '/supervisor');
    const plain = subscriber('plain');
    for (const sub of [a, b, s, plain]) await fanout.add(sub);

    const events = await store.appendEvents([ringing('1'), ringing('2')]);
    fanout.publish(events);
    fanout.publish(events); // published again: nobody gets an event twice

    const [first, second] = events.map((e) => e.seq) as [number, number];
    expect(broadcasts).toEqual([
      { namespace: '/', ids: ['a', 'b'], seq: first },
      { namespace: '/supervisor', ids: ['s'], seq: first },
      { namespace: '/', ids: ['a', 'b'], seq: second },
      { namespace: '/supervisor', ids: ['s'], seq: second },
    ]);
    expect(plain.got).toEqual([first, second]);
    expect(a.got).toEqual([]); // broadcast, not sent one by one
  });

  it('replays from the store through the subscriber itself, then joins the broadcasts, with no gap or repeat at the seam', async () => {
    const broadcasts: { ids: string[]; seq: number }[] = [];
    const fanout = createFanout(store, createLogger('silent'), (_namespace, ids, event: StreamEvent) => broadcasts.push({ ids: [...ids], seq: event.seq }));
    const stored = await store.appendEvents([ringing('1'), ringing('2'), ringing('3')]);
    const late = subscriber('late', '/');
    const adding = fanout.add(late, 0);
    // Published while the replay runs: held back, then delivered after the stored ones.
    const live = await store.appendEvents([ringing('4')]);
    fanout.publish([...stored.slice(2), ...live]);
    await adding;
    expect(late.got).toEqual([...stored, ...live].map((e) => e.seq));
    const next = await store.appendEvents([ringing('5')]);
    fanout.publish(next);
    expect(broadcasts).toEqual([{ ids: ['late'], seq: next[0]?.seq }]);
  });

  it('scoped subscribers get the events of their scope once each, live, after a replay, after a scope change, and none once removed', async () => {
    const fanout = createFanout(store, createLogger('silent'));
    const sales = subscriber('sales', undefined, { queues: ['Sales'], peers: [] });
    const both = subscriber('both', undefined, { queues: ['Sales'], peers: ['SIP/b'] });
    const twin = subscriber('twin', undefined, { queues: ['Sales'], peers: [] });
    const all = subscriber('all');
    for (const sub of [sales, both, twin, all]) await fanout.add(sub);
    const before = await store.appendEvents([ringing('0', 'Billing', 'SIP/b')]);
    const late = subscriber('late', undefined, { queues: [], peers: ['SIP/b'] });
    const adding = fanout.add(late, 0);
    const events = await store.appendEvents([ringing('1'), ringing('2', 'Billing', 'SIP/b'), ringing('3', 'Sales', 'SIP/b'), ringing('4', 'Support', 'SIP/c')]);
    fanout.publish([...before, ...events]);
    await adding;
    const seq = (i: number): number => ([...before, ...events][i] as StreamEvent).seq;
    expect(all.got).toEqual([0, 1, 2, 3, 4].map(seq));
    expect(sales.got).toEqual([1, 3].map(seq));
    expect(twin.got).toEqual([1, 3].map(seq));
    expect(both.got).toEqual([0, 1, 2, 3].map(seq));
    expect(late.got).toEqual([0, 2, 3].map(seq));

    fanout.setScope('sales', scopeMatcher({ queues: ['Support'], peers: [] }));
    fanout.setScope('late', null);
    fanout.remove('twin');
    const more = await store.appendEvents([ringing('5'), ringing('6', 'Support', 'SIP/c')]);
    fanout.publish(more);
    const [five, six] = more.map((e) => e.seq) as [number, number];
    expect(sales.got.slice(2)).toEqual([six]);
    expect(late.got.slice(3)).toEqual([five, six]);
    expect(twin.got).toHaveLength(2);
    expect(both.got.slice(4)).toEqual([five]);
  });
});
