import type { RealtimeRow } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store.js';
import { at, type ConformanceContext } from './context.js';

function row(id: string, seconds: number, type = 'crm'): RealtimeRow {
  return {
    id,
    type,
    channel: { uniqueid: `u-${id}`, callernum: '1003', time: at(seconds), nested: { list: [1, 'x'] } },
    reference: `ref-${id}`,
    url: `https://crm.example/${id}`,
    time: at(seconds),
  };
}

// Added out of time order on purpose; r3 and r3b share a time (insertion order breaks the tie).
const rows = [row('r1', 1), row('r4', 4, 'ticket'), row('r2', 2, 'ticket'), row('r3', 3), row('r3b', 3), row('r5', 5)];
const newestFirst = ['r5', 'r4', 'r3b', 'r3', 'r2', 'r1'];

async function seeded(store: Store): Promise<Store> {
  for (const r of rows) await store.addRealtime(r);
  return store;
}

const ids = (list: RealtimeRow[]): string[] => list.map((r) => r.id);

export function realtimeTests(ctx: ConformanceContext): void {
  describe('realtime', () => {
    it('lists rows newest first, as they were added', async () => {
      const store = await seeded(ctx.store());
      const list = await store.listRealtime({ limit: 100 });
      expect(ids(list)).toEqual(newestFirst);
      expect(list.find((r) => r.id === 'r2')).toEqual(row('r2', 2, 'ticket'));
      expect(ids(await store.listRealtime({ limit: 2 }))).toEqual(['r5', 'r4']);
      expect(await store.listRealtime({ limit: 0 })).toEqual([]);
    });

    it('filters by type and by an inclusive time range', async () => {
      const store = await seeded(ctx.store());
      expect(ids(await store.listRealtime({ type: 'ticket', limit: 100 }))).toEqual(['r4', 'r2']);
      expect(ids(await store.listRealtime({ type: 'none', limit: 100 }))).toEqual([]);
      expect(ids(await store.listRealtime({ from: at(2), to: at(4), limit: 100 }))).toEqual(['r4', 'r3b', 'r3', 'r2']);
      expect(ids(await store.listRealtime({ from: at(3), limit: 100 }))).toEqual(['r5', 'r4', 'r3b', 'r3']);
      expect(ids(await store.listRealtime({ to: at(1), limit: 100 }))).toEqual(['r1']);
      expect(ids(await store.listRealtime({ type: 'crm', from: at(2), to: at(5), limit: 100 }))).toEqual([
        'r5',
        'r3b',
        'r3',
      ]);
    });

    it('pages with before, without skipping or repeating rows', async () => {
      const store = await seeded(ctx.store());
      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await store.listRealtime(before === undefined ? { limit: 2 } : { before, limit: 2 });
        if (page.length === 0) break;
        seen.push(...ids(page));
        before = page.at(-1)?.id;
      }
      expect(seen).toEqual(newestFirst);
      expect(ids(await store.listRealtime({ before: 'r3b', type: 'crm', limit: 100 }))).toEqual(['r3', 'r1']);
      expect(await store.listRealtime({ before: 'no-such-row', limit: 100 })).toEqual([]);
    });

    it('keeps the first row of an id: a second one answers false and changes nothing', async () => {
      const store = await seeded(ctx.store());
      const first = (await store.listRealtime({ limit: 100 })).find((r) => r.id === 'r1');
      expect(await store.addRealtime(row('r1', 9))).toBe(false);
      expect(await store.listRealtime({ limit: 100 })).toHaveLength(rows.length);
      expect((await store.listRealtime({ limit: 100 })).find((r) => r.id === 'r1')).toEqual(first);
    });

    it('prunes rows older than a time', async () => {
      const store = await seeded(ctx.store());
      const all = await store.listRealtime({ limit: 100 });
      const cutoff = [...all].sort((a, b) => a.time.localeCompare(b.time))[2]?.time ?? '';
      expect(await store.pruneRealtimeBefore(cutoff)).toBe(2);
      expect(await store.listRealtime({ limit: 100 })).toHaveLength(all.length - 2);
    });
  });
}
