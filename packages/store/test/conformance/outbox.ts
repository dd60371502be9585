import { ErrorCode } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/store.js';
import { at, type ConformanceContext } from './context.js';

type Wakeup = Extract<OutboxItem, { kind: 'AgentCTI' }>;
type Note = Extract<OutboxItem, { kind: 'AgentCTINotification' }>;

function command(id: string, overrides: Partial<Wakeup> = {}): Wakeup {
  return {
    id,
    peer: 'SIP/andrea.bianco',
    kind: 'AgentCTI',
    payload: { id, peer: 'SIP/andrea.bianco', url: `https://crm.example/call/${id}?q=a%20b&x=\u00e8`, mode: 'new_tab', time: at(0) },
    createdAt: at(0),
    expiresAt: at(60),
    ...overrides,
  };
}

function note(id: string): Note {
  return {
    id,
    peer: 'SIP/andrea.bianco',
    kind: 'AgentCTINotification',
    payload: { id, peer: 'SIP/andrea.bianco', type: 'info', title: 't', body: 'b', time: at(0) },
    createdAt: at(0),
    expiresAt: at(60),
  };
}

export function outboxTests(ctx: ConformanceContext): void {
  describe('outbox', () => {
    it('enqueues once per id and keeps the first', async () => {
      const store = ctx.store();
      const first = command('cmd-1');
      expect(await store.enqueue(first)).toBe(true);
      const other = command('cmd-1', { peer: 'SIP/other' });
      expect(await store.enqueue({ ...other, payload: { ...other.payload, url: 'https://crm.example/other' } })).toBe(false);
      expect(await store.pendingFor('SIP/andrea.bianco', at(1))).toEqual([first]);
      expect(await store.pendingFor('SIP/other', at(1))).toEqual([]);
    });

    it('returns a peer’s pending commands oldest first, in the order enqueued', async () => {
      const store = ctx.store();
      const ids = ['z', 'a', 'm', 'b'];
      for (const id of ids) await store.enqueue(command(id));
      await store.enqueue(command('elsewhere', { peer: 'SIP/other' }));
      await store.enqueue(note('note'));
      const pending = await store.pendingFor('SIP/andrea.bianco', at(1));
      expect(pending.map((c) => c.id)).toEqual([...ids, 'note']);
      expect(pending.at(-1)).toEqual(note('note'));
    });

    it('leaves out acknowledged and expired commands', async () => {
      const store = ctx.store();
      await store.enqueue(command('acked'));
      await store.enqueue(command('expires-at-10', { expiresAt: at(10) }));
      await store.enqueue(command('live'));
      expect(await store.acknowledge('acked')).toBe(true);
      expect(await store.acknowledge('acked')).toBe(false);
      expect(await store.acknowledge('unknown')).toBe(false);
      expect((await store.pendingFor('SIP/andrea.bianco', at(9))).map((c) => c.id)).toEqual(['expires-at-10', 'live']);
      // expiresAt is exclusive: a command is no longer pending at its expiry time.
      expect((await store.pendingFor('SIP/andrea.bianco', at(10))).map((c) => c.id)).toEqual(['live']);
      // An acknowledged id stays taken until it expires.
      expect(await store.enqueue(command('acked'))).toBe(false);
    });

    it("drops a peer's oldest unacknowledged commands beyond a count, and no one else's", async () => {
      const store = ctx.store();
      for (const id of ['o1', 'o2', 'o3', 'o4']) await store.enqueue(command(id));
      await store.enqueue(command('other', { peer: 'SIP/bob' }));
      expect(await store.acknowledge('o4')).toBe(true);
      expect(await store.dropOldest('SIP/andrea.bianco', 2)).toBe(1);
      expect((await store.pendingFor('SIP/andrea.bianco', at(1))).map((c) => c.id)).toEqual(['o2', 'o3']);
      expect((await store.pendingFor('SIP/bob', at(1))).map((c) => c.id)).toEqual(['other']);
      expect(await store.dropOldest('SIP/andrea.bianco', 2)).toBe(0);
    });

    it("acknowledges, given a peer, only that peer's commands", async () => {
      const store = ctx.store();
      await store.enqueue(command('for-andrea'));
      expect(await store.acknowledge('for-andrea', 'SIP/bob')).toBe(false);
      expect((await store.pendingFor('SIP/andrea.bianco', at(1))).map((c) => c.id)).toEqual(['for-andrea']);
      expect(await store.acknowledge('for-andrea', 'SIP/andrea.bianco')).toBe(true);
    });

    it('expires commands and counts those never acknowledged', async () => {
      const store = ctx.store();
      await store.enqueue(command('lost-1', { expiresAt: at(10) }));
      await store.enqueue(command('lost-2', { expiresAt: at(20) }));
      await store.enqueue(command('delivered', { expiresAt: at(20) }));
      await store.enqueue(command('later', { expiresAt: at(21) }));
      await store.acknowledge('delivered');
      expect(await store.expireBefore(at(5))).toBe(0);
      expect(await store.expireBefore(at(20))).toBe(2);
      expect(await store.expireBefore(at(20))).toBe(0);
      expect(await store.enqueue(command('later'))).toBe(false);
      expect(await store.pendingFor('SIP/andrea.bianco', at(20))).toEqual([command('later', { expiresAt: at(21) })]);
      // An expired id can be used again: it no longer exists.
      expect(await store.enqueue(command('lost-1', { expiresAt: at(90) }))).toBe(true);
    });
    it('expires many more commands than one statement deletes, counting exactly the unacknowledged ones', async () => {
      const store = ctx.store();
      const ids = Array.from({ length: 1234 }, (_, i) => `bulk-${i}`);
      await Promise.all(ids.map((id) => store.enqueue(command(id, { expiresAt: at(10) }))));
      await Promise.all(ids.slice(0, 100).map((id) => store.acknowledge(id)));
      await store.enqueue(command('stays', { expiresAt: at(30) }));
      expect(await store.expireBefore(at(10))).toBe(1134);
      expect((await store.pendingFor('SIP/andrea.bianco', at(11))).map((c) => c.id)).toEqual(['stays']);
      // The expired ids no longer exist: they can be used again.
      expect(await store.enqueue(command('bulk-0', { expiresAt: at(30) }))).toBe(true);
      expect(await store.enqueue(command('bulk-1233', { expiresAt: at(30) }))).toBe(true);
    });

    // The hub does not await one write before starting the next. A pool of connections may
    // run them in any order (the SQLite store's same-tick order is tested on its own), but
    // each caller gets its own, consistent result.
    describe('writes started together', () => {
      it('accepts exactly one of several enqueues of the same id, and stores that one', async () => {
        const store = ctx.store();
        const items = [0, 1, 2].map((n) => {
          const item = command('dup');
          return { ...item, payload: { ...item.payload, url: `https://crm.example/dup/${n}` } };
        });
        const results = await Promise.all([...items.map((item) => store.enqueue(item)), store.enqueue(command('other'))]);
        expect(results.slice(0, 3).filter(Boolean)).toHaveLength(1);
        expect(results[3]).toBe(true);
        const winner = items[results.indexOf(true)];
        const pending = await store.pendingFor('SIP/andrea.bianco', at(1));
        expect(pending.find((c) => c.id === 'dup')).toEqual(winner);
        expect(pending.map((c) => c.id).sort()).toEqual(['dup', 'other']);
      });

      it('acknowledges a command once when acks arrive together', async () => {
        const store = ctx.store();
        await store.enqueue(command('twice'));
        const results = await Promise.all([store.acknowledge('twice'), store.acknowledge('twice'), store.acknowledge('nope')]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(results[2]).toBe(false);
        expect(await store.pendingFor('SIP/andrea.bianco', at(1))).toEqual([]);
      });

      it('rejects only the write with bad input, naming the field', async () => {
        const store = ctx.store();
        const [good, bad, after] = await Promise.allSettled([
          store.enqueue(command('good')),
          store.enqueue(command('bad', { expiresAt: 'not a time' })),
          store.enqueue(command('after')),
        ]);
        expect(good).toEqual({ status: 'fulfilled', value: true });
        expect(after).toEqual({ status: 'fulfilled', value: true });
        expect(bad.status).toBe('rejected');
        expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.INVALID_PAYLOAD, field: 'expiresAt' });
        expect((await store.pendingFor('SIP/andrea.bianco', at(1))).map((c) => c.id).sort()).toEqual(['after', 'good']);
        expect(await store.enqueue(command('bad'))).toBe(true);
      });
    });
  });
}
