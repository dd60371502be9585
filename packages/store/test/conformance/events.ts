import { readdir, readFile } from 'node:fs/promises';
import { CtiError, type StreamEvent } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import type { UnnumberedEvent } from '../../src/store.js';
import { at, ringing, type ConformanceContext } from './context.js';

const seedDir = new URL('../../../../fixtures/seed-events/', import.meta.url);

async function seedEvents(): Promise<UnnumberedEvent[]> {
  const files = (await readdir(seedDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f, i) => ({
      ...(JSON.parse(await readFile(new URL(f, seedDir), 'utf8')) as UnnumberedEvent),
      time: at(i),
      variables: { crmid: `c${i}` },
    })),
  );
}

function expectStrictlyIncreasing(seqs: number[]): void {
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] as number);
}

export function eventTests(ctx: ConformanceContext): void {
  describe('events', () => {
    it('starts empty', async () => {
      const store = ctx.store();
      expect(await store.seqRange()).toEqual({ first: 0, last: 0 });
      expect(await store.eventsAfter(0, 100)).toEqual([]);
    });

    it('numbers appended events and returns them otherwise unchanged', async () => {
      const store = ctx.store();
      const input = [ringing(), ringing(), ringing()];
      const stored = await store.appendEvents(input);
      expect(stored).toHaveLength(3);
      stored.forEach((event, i) => {
        expect(Number.isSafeInteger(event.seq)).toBe(true);
        expect(event.seq).toBeGreaterThan(0);
        expect(event).toEqual({ ...input[i], seq: event.seq });
      });
      expectStrictlyIncreasing(stored.map((e) => e.seq));
      expect(await store.eventsAfter(0, 100)).toEqual(stored);
    });

    it('keeps every field of the seed events, unknown ones included, and their order', async () => {
      const store = ctx.store();
      const input = (await seedEvents()).map((e) => ({ ...e, x_extra: { nested: [1, 'two', null], flag: false } }));
      expect(input.length).toBeGreaterThanOrEqual(5);
      const stored = await store.appendEvents(input);
      const read = await store.eventsAfter(0, 100);
      expect(read).toEqual(stored);
      read.forEach((event, i) => {
        expect(event).toEqual({ ...input[i], seq: stored[i]?.seq });
        expect(Object.keys(event).filter((k) => k !== 'seq')).toEqual(Object.keys(input[i] as object));
      });
    });

    it('keeps seq strictly increasing across appends, and pages with after and limit', async () => {
      const store = ctx.store();
      const all: StreamEvent[] = [];
      for (let batch = 0; batch < 4; batch++) {
        all.push(...(await store.appendEvents([ringing(), ringing({ event: 'up', up: true })])));
      }
      all.push(...(await store.appendEvents([ringing()])));
      expectStrictlyIncreasing(all.map((e) => e.seq));
      expect(await store.seqRange()).toEqual({ first: all[0]?.seq, last: all.at(-1)?.seq });

      const third = all[2] as StreamEvent;
      expect(await store.eventsAfter(third.seq, 3)).toEqual(all.slice(3, 6));
      expect(await store.eventsAfter(third.seq - 0.5, 1)).toEqual([third]);
      expect(await store.eventsAfter(all.at(-1)?.seq ?? 0, 10)).toEqual([]);
      expect(await store.eventsAfter(0, 0)).toEqual([]);
      const paged: StreamEvent[] = [];
      let after = 0;
      for (;;) {
        const page = await store.eventsAfter(after, 4);
        if (page.length === 0) break;
        paged.push(...page);
        after = page.at(-1)?.seq ?? after;
      }
      expect(paged).toEqual(all);
    });

    it('appends nothing for an empty batch', async () => {
      const store = ctx.store();
      expect(await store.appendEvents([])).toEqual([]);
      expect(await store.seqRange()).toEqual({ first: 0, last: 0 });
    });

    it('stores a batch atomically: one bad event stores none of it', async () => {
      const store = ctx.store();
      const error = await store.appendEvents([ringing(), ringing({ time: 'not a time' })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CtiError);
      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'time' });
      expect(await store.seqRange()).toEqual({ first: 0, last: 0 });
    });

    it('gives concurrent appends unique, increasing seqs that match their events', async () => {
      const store = ctx.store();
      const batches = Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 25 }, (_, i) => ringing({ marker: `${b}-${i}` })),
      );
      const results = await Promise.all(batches.map((batch) => store.appendEvents(batch)));
      for (const result of results) expectStrictlyIncreasing(result.map((e) => e.seq));
      const returned = results.flat();
      expect(new Set(returned.map((e) => e.seq)).size).toBe(200);

      const read = await store.eventsAfter(0, 1000);
      expect(read).toHaveLength(200);
      expectStrictlyIncreasing(read.map((e) => e.seq));
      const bySeq = new Map(read.map((e) => [e.seq, e]));
      for (const event of returned) expect(bySeq.get(event.seq)).toEqual(event);
    });

    it('prunes events older than a time and never reuses a seq', async () => {
      const store = ctx.store();
      const [old, mid, last] = await store.appendEvents([
        ringing({ time: at(0) }),
        ringing({ time: at(10) }),
        ringing({ time: at(20) }),
      ]);
      expect(await store.pruneEventsBefore(at(10))).toBe(1);
      expect(await store.eventsAfter(0, 10)).toEqual([mid, last]);
      expect(await store.seqRange()).toEqual({ first: mid?.seq, last: last?.seq });
      expect(await store.pruneEventsBefore(at(10))).toBe(0);

      expect(await store.pruneEventsBefore(at(60))).toBe(2);
      expect(await store.seqRange()).toEqual({ first: 0, last: 0 });
      const [next] = await store.appendEvents([ringing({ time: at(30) })]);
      expect(next?.seq).toBeGreaterThan(last?.seq ?? Infinity);
      expect(old?.seq).toBeLessThan(mid?.seq ?? 0);
    });

    it('prunes many more events than one statement deletes', async () => {
      const store = ctx.store();
      await store.appendEvents(Array.from({ length: 1234 }, () => ringing({ time: at(0) })));
      const [kept] = await store.appendEvents([ringing({ time: at(20) })]);
      expect(await store.pruneEventsBefore(at(10))).toBe(1234);
      expect(await store.eventsAfter(0, 10)).toEqual([kept]);
    });

    it('keeps events and increasing seqs across close and reopen', async (test) => {
      if (ctx.reopen === undefined) return test.skip();
      const first = ctx.store();
      const before = await first.appendEvents([ringing(), ringing()]);
      await first.close();
      const second = await ctx.reopen(first);
      expect(await second.eventsAfter(0, 10)).toEqual(before);
      const [after] = await second.appendEvents([ringing()]);
      expect(after?.seq).toBeGreaterThan(before[1]?.seq ?? Infinity);
    });
  });
}
