import { describe, expect, it } from 'vitest';
import { at, ringing, type ConformanceContext } from './context.js';

let counter = 0;
const freshId = (): string => `conformance-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`;

/** Idempotent ingest: an `eventid` is stored once for as long as its event is kept. */
export function eventIdTests(ctx: ConformanceContext): void {
  describe('event ids', () => {
    it('answers a repeat of a stored id with the original, marked duplicate, and stores nothing', async () => {
      const store = ctx.store();
      const id = freshId();
      const [first] = await store.appendEvents([ringing({ eventid: id })]);
      const [again] = await store.appendEvents([ringing({ eventid: id, callernum: 'changed' })]);
      expect(first?.duplicate).toBeUndefined();
      expect(again).toEqual({ ...first, duplicate: true });
      expect(await store.eventsAfter(0, 100)).toEqual([first]);
    });

    it('answers a repeat inside one batch with the seq of its first occurrence', async () => {
      const store = ctx.store();
      const [a, b] = [freshId(), freshId()];
      const result = await store.appendEvents([
        ringing({ eventid: a }),
        ringing(),
        ringing({ eventid: a }),
        ringing({ eventid: b }),
        ringing({ eventid: b }),
      ]);
      expect(result.map((e) => e.duplicate ?? false)).toEqual([false, false, true, false, true]);
      expect(result[2]?.seq).toBe(result[0]?.seq);
      expect(result[4]?.seq).toBe(result[3]?.seq);
      const stored = await store.eventsAfter(0, 100);
      expect(stored.map((e) => e.seq)).toEqual([result[0]?.seq, result[1]?.seq, result[3]?.seq]);
      expect(stored[2]?.eventid).toBe(b);
    });

    it('mixes repeats of stored ids and new events in one batch, new ones numbered in order', async () => {
      const store = ctx.store();
      const old = freshId();
      const [original] = await store.appendEvents([ringing({ eventid: old })]);
      const result = await store.appendEvents([ringing(), ringing({ eventid: old }), ringing({ eventid: freshId() })]);
      expect(result[1]).toEqual({ ...original, duplicate: true });
      expect(result[0]?.seq).toBeGreaterThan(original?.seq ?? Infinity);
      expect(result[2]?.seq).toBeGreaterThan(result[0]?.seq ?? Infinity);
      expect((await store.seqRange()).last).toBe(result[2]?.seq);
    });

    it('never treats events without an id as repeats', async () => {
      const store = ctx.store();
      const event = ringing();
      const result = await store.appendEvents([event, event]);
      await store.appendEvents([event]);
      expect(result.every((e) => e.duplicate === undefined)).toBe(true);
      expect(await store.eventsAfter(0, 100)).toHaveLength(3);
    });

    it('stores a batch made only of repeats without taking a seq', async () => {
      const store = ctx.store();
      const id = freshId();
      await store.appendEvents([ringing({ eventid: id })]);
      const before = await store.seqRange();
      const result = await store.appendEvents([ringing({ eventid: id }), ringing({ eventid: id })]);
      expect(result.every((e) => e.duplicate === true && e.seq === before.last)).toBe(true);
      expect(await store.seqRange()).toEqual(before);
    });

    it('forgets an id once its event is pruned', async () => {
      const store = ctx.store();
      const id = freshId();
      await store.appendEvents([ringing({ eventid: id, time: at(0) })]);
      expect(await store.pruneEventsBefore(at(10))).toBe(1);
      const [again] = await store.appendEvents([ringing({ eventid: id, time: at(20) })]);
      expect(again?.duplicate).toBeUndefined();
    });

    it('refuses an id that is not a string of at most 128 characters, storing nothing', async () => {
      const store = ctx.store();
      await expect(store.appendEvents([ringing(), ringing({ eventid: 'x'.repeat(129) })])).rejects.toMatchObject({
        code: 'INVALID_PAYLOAD',
        field: 'eventid',
      });
      await expect(store.appendEvents([ringing({ eventid: 42 })])).rejects.toMatchObject({ field: 'eventid' });
      expect(await store.eventsAfter(0, 100)).toEqual([]);
    });

    it('keeps ids across close and reopen, and stores an id once when two stores race', async (test) => {
      if (ctx.reopen === undefined) return test.skip();
      const first = ctx.store();
      const id = freshId();
      const [original] = await first.appendEvents([ringing({ eventid: id })]);
      const second = await ctx.reopen(first);
      expect(await second.appendEvents([ringing({ eventid: id })])).toEqual([{ ...original, duplicate: true }]);

      // The same ids sent to both at once, as two hubs sharing one database would get them.
      const ids = Array.from({ length: 20 }, freshId);
      const [a, b] = await Promise.all(
        [first, second].map((store) => Promise.all(ids.map((eventid) => store.appendEvents([ringing({ eventid })])))),
      );
      const results = [...(a ?? []), ...(b ?? [])].flat();
      expect(results.filter((e) => e.duplicate !== true)).toHaveLength(ids.length);
      for (const eventid of ids) {
        const seqs = new Set(results.filter((e) => e.eventid === eventid).map((e) => e.seq));
        expect(seqs.size).toBe(1);
      }
      expect(await second.eventsAfter(0, 1000)).toHaveLength(ids.length + 1);
    });
  });
}
