import { describe, expect, it } from 'vitest';
import type { UnnumberedEvent } from '../../src/store.js';
import { agentStateEvent, byTime, outboundEvent, queueCallEvents } from '../call-events.js';
import type { ConformanceContext } from './context.js';

const t0 = Date.parse('2026-03-02T09:00:00.000Z');
const all = { fromMs: t0 - 86_400_000, toMs: t0 + 86_400_000, limit: 100 };
const iso = (ms: number): string => new Date(ms).toISOString();

/** Answered by B after A timed out; C was rung and told answered-elsewhere. */
const answered = queueCallEvents({
  uniqueid: 'c1',
  queue: 'Support',
  enteredMs: t0 + 10_000,
  rings: [
    { peer: 'SIP/a', at: 2, noAnswer: 'timeout' },
    { peer: 'SIP/b', at: 18 },
    { peer: 'SIP/c', at: 18, noAnswer: 'answered-elsewhere' },
  ],
  answer: { peer: 'SIP/b', hold: 25, talk: 120 },
});
const abandoned = queueCallEvents({
  uniqueid: 'c2',
  queue: 'Sales',
  enteredMs: t0 + 3_590_000,
  rings: [{ peer: 'SIP/a', at: 1, noAnswer: 'caller-left' }],
  abandon: { hold: 40 },
});

export function callTests(ctx: ConformanceContext): void {
  describe('call summaries', () => {
    it('summarise a queue call as its events are stored: entry, hold, talk, outcome, rings per peer', async () => {
      const store = ctx.store();
      await store.appendEvents(byTime(answered));
      expect(await store.listCalls(all)).toEqual([
        {
          uniqueid: 'c1',
          queue: 'Support',
          outbound: false,
          enteredAt: iso(t0 + 10_000),
          answeredAt: iso(t0 + 35_000),
          endedAt: iso(t0 + 155_000),
          peer: 'SIP/b',
          agentname: 'Agent b',
          outcome: 'answered',
          holdtime: 25,
          talktime: 120,
          reason: 'agent',
          agents: [
            { peer: 'SIP/a', rings: 1, ringNoAnswer: 1 },
            { peer: 'SIP/b', rings: 1, ringNoAnswer: 0 },
            { peer: 'SIP/c', rings: 1, ringNoAnswer: 0 },
          ],
        },
      ]);
    });

    it('give the same summary whatever the batches and their order', async () => {
      const store = ctx.store();
      const reopened = ctx.reopen ? await ctx.reopen(store) : store;
      const events = byTime([...answered, ...abandoned]);
      // One at a time, newest first, alternating between two stores on the same database (two hubs).
      for (const [i, event] of [...events].reverse().entries()) await (i % 2 === 0 ? store : reopened).appendEvents([event]);
      const oneByOne = await store.listCalls(all);

      const other = ctx.store();
      expect(other).toBe(store);
      expect(oneByOne.map((c) => [c.uniqueid, c.outcome, c.enteredAt, c.holdtime])).toEqual([
        ['c1', 'answered', iso(t0 + 10_000), 25],
        ['c2', 'abandoned', iso(t0 + 3_590_000), 40],
      ]);
      expect(oneByOne[0]?.agents).toEqual([
        { peer: 'SIP/a', rings: 1, ringNoAnswer: 1 },
        { peer: 'SIP/b', rings: 1, ringNoAnswer: 0 },
        { peer: 'SIP/c', rings: 1, ringNoAnswer: 0 },
      ]);
      expect(oneByOne[1]).toMatchObject({ peer: null, talktime: null, endedAt: iso(t0 + 3_630_000), agents: [{ peer: 'SIP/a', rings: 1, ringNoAnswer: 0 }] });
    });

    it('keep outbound calls apart, under queue ""', async () => {
      const store = ctx.store();
      await store.appendEvents([outboundEvent('o1', 'SIP/a', t0 + 5_000)]);
      expect(await store.listCalls(all)).toEqual([
        expect.objectContaining({ uniqueid: 'o1', queue: '', outbound: true, peer: 'SIP/a', outcome: 'open', enteredAt: iso(t0 + 5_000) }),
      ]);
      expect(await store.queueSlots({ ...all, slotMs: 0, sla: 20 })).toEqual([]);
      expect(await store.agentSlots({ ...all, slotMs: 0, sla: 20 })).toEqual([
        { peer: 'SIP/a', agentname: 'Agent a', slot: 0, rings: 0, answered: 0, ringNoAnswer: 0, handled: 0, talkSum: 0, outbound: 1 },
      ]);
    });

    it('sum queues and peers per slot of entry time', async () => {
      const store = ctx.store();
      await store.appendEvents(byTime([...answered, ...abandoned]));
      const hour = 3_600_000;
      const slot = Math.floor(t0 / hour);
      expect(await store.queueSlots({ ...all, slotMs: hour, sla: 20 })).toEqual(
        expect.arrayContaining([
          { queue: 'Support', slot, answered: 1, abandoned: 0, answeredWithinSla: 0, holdSum: 25, handled: 1, talkSum: 120, maxWait: 25 },
          { queue: 'Sales', slot, answered: 0, abandoned: 1, answeredWithinSla: 0, holdSum: 0, handled: 0, talkSum: 0, maxWait: 40 },
        ]),
      );
      const within = await store.queueSlots({ ...all, slotMs: 0, sla: 25 });
      expect(within.find((s) => s.queue === 'Support')?.answeredWithinSla).toBe(1);
      // The range is by entry time, `to` exclusive: c2 entered at t0 + 3,590 s.
      expect((await store.queueSlots({ fromMs: t0, toMs: t0 + 3_590_000, slotMs: 0, sla: 20 })).map((s) => s.queue)).toEqual(['Support']);
      const agents = await store.agentSlots({ ...all, slotMs: hour, sla: 20 });
      expect(agents.sort((x, y) => x.peer.localeCompare(y.peer))).toEqual([
        { peer: 'SIP/a', agentname: 'Agent a', slot, rings: 2, answered: 0, ringNoAnswer: 1, handled: 0, talkSum: 0, outbound: 0 },
        { peer: 'SIP/b', agentname: 'Agent b', slot, rings: 1, answered: 1, ringNoAnswer: 0, handled: 1, talkSum: 120, outbound: 0 },
        { peer: 'SIP/c', agentname: 'Agent c', slot, rings: 1, answered: 0, ringNoAnswer: 0, handled: 0, talkSum: 0, outbound: 0 },
      ]);
    });

    it('keep pause spans from agentstate events', async () => {
      const store = ctx.store();
      const events: UnnumberedEvent[] = [
        agentStateEvent('SIP/a', 'Support', true, t0),
        agentStateEvent('SIP/a', 'Support', true, t0 + 60_000), // still paused: no second span
        agentStateEvent('SIP/a', 'Support', false, t0 + 300_000),
        agentStateEvent('SIP/a', 'Sales', true, t0 + 100_000),
        agentStateEvent('SIP/b', 'Support', false, t0 + 100_000), // unpaused without a pause: nothing
        agentStateEvent('SIP/b', 'Support', true, t0 + 200_000),
      ];
      await store.appendEvents(events.slice(0, 3));
      await store.appendEvents(events.slice(3));
      expect(await store.pauseSpans({ fromMs: t0, toMs: t0 + hourMs })).toEqual([
        { peer: 'SIP/a', queue: 'Support', agentname: 'Agent a', startMs: t0, endMs: t0 + 300_000 },
        { peer: 'SIP/a', queue: 'Sales', agentname: 'Agent a', startMs: t0 + 100_000, endMs: null },
        { peer: 'SIP/b', queue: 'Support', agentname: 'Agent b', startMs: t0 + 200_000, endMs: null },
      ]);
      expect(await store.pauseSpans({ fromMs: t0 + 300_000, toMs: t0 + hourMs })).toHaveLength(2);
      expect(await store.pauseSpans({ fromMs: t0 - hourMs, toMs: t0 })).toEqual([]);
      // Leaving the queue ends a pause too.
      await store.appendEvents([agentStateEvent('SIP/b', 'Support', true, t0 + 400_000, false)]);
      expect((await store.pauseSpans({ fromMs: t0, toMs: t0 + hourMs })).find((s) => s.peer === 'SIP/b')?.endMs).toBe(t0 + 400_000);
    });

    it('answer from the rollups exactly what the summaries add up to, whatever the batches, their order and the pruning', async () => {
      const store = ctx.store();
      const other = ctx.reopen ? await ctx.reopen(store) : store;
      const rnd = seeded(7);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
      const peers = ['SIP/a', 'SIP/b', 'SIP/c', 'SIP/d'];
      const events: UnnumberedEvent[] = [];
      for (let n = 0; n < 160; n++) {
        // Entries around quarter-hour boundaries, so that the estimates before an `up`
        // (the ringing's time) fall in the next slot and move back when it comes.
        const enteredMs = t0 + Math.floor(rnd() * 24) * 900_000 - Math.floor(rnd() * 30_000);
        const rings = [{ peer: pick(peers), at: 1 + Math.floor(rnd() * 40), ...(rnd() < 0.3 ? { noAnswer: 'timeout' as const } : {}) }];
        const hold = Math.floor(rnd() * 60);
        const r = rnd();
        const plan =
          r < 0.15
            ? { abandon: { hold } }
            : { answer: { peer: pick(peers), hold, ...(r < 0.9 ? { talk: Math.floor(rnd() * 400) } : {}) } };
        events.push(...queueCallEvents({ uniqueid: `p${n}`, queue: pick(['Sales', 'Support', 'Billing']), enteredMs, rings, ...plan }));
        if (rnd() < 0.1) events.push(outboundEvent(`o${n}`, pick(peers), enteredMs));
      }
      // Shuffled into batches of 1 to 20, written by two stores on the same database in turn.
      for (let i = events.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [events[i], events[j]] = [events[j] as UnnumberedEvent, events[i] as UnnumberedEvent];
      }
      // The rollups keep whole quarter hours; slots of 5 and 20 minutes are not, so those are
      // read from the summaries, and added up here into quarter hours, hours and totals.
      const check = async (): Promise<void> => {
        for (const range of [all, { fromMs: t0, toMs: t0 + 6 * 3_600_000 }, { fromMs: t0 + 123_456, toMs: t0 + 5 * 3_600_000 - 7 }]) {
          for (const [slotMs, fineMs] of [[0, 1_200_000], [900_000, 300_000], [3_600_000, 1_200_000]] as const) {
            const group = (slot: number): number => (slotMs === 0 ? 0 : Math.floor((slot * fineMs) / slotMs));
            const queues = await store.queueSlots({ ...range, slotMs, sla: 20 });
            const fineQueues = await store.queueSlots({ ...range, slotMs: fineMs, sla: 20 });
            expect(queues.length).toBeGreaterThan(0);
            expect(sortSlots(queues)).toEqual(sortSlots(addUp(fineQueues, (s) => `${s.queue} ${group(s.slot)}`, group)));
            const agents = await store.agentSlots({ ...range, slotMs, sla: 20 });
            const fineAgents = await store.agentSlots({ ...range, slotMs: fineMs, sla: 20 });
            expect(agents.length).toBeGreaterThan(0);
            expect(sortSlots(agents)).toEqual(sortSlots(addUp(fineAgents, (s) => `${s.peer} ${group(s.slot)}`, group)));
          }
        }
      };
      let written = 0;
      let turn = 0;
      while (written < events.length) {
        const size = 1 + Math.floor(rnd() * 20);
        await (turn++ % 2 === 0 ? store : other).appendEvents(events.slice(written, written + size));
        written += size;
        // Read now and then while the calls are half-stored: a refresh in the middle must not stick.
        if (turn % 17 === 0) await store.queueSlots({ ...all, slotMs: 0, sla: 20 });
      }
      await check();
      // A peer's part counts in its call's slot of entry time, however late the batch that
      // corrected that time came: the rings per peer and quarter hour, from the call list.
      const expectedRings = new Map<string, number>();
      for (const call of await store.listCalls({ ...all, limit: 1000 })) {
        for (const part of call.agents) {
          const key = `${part.peer} ${Math.floor(Date.parse(call.enteredAt) / 900_000)}`;
          expectedRings.set(key, (expectedRings.get(key) ?? 0) + part.rings);
        }
      }
      const ringSlots = (await store.agentSlots({ ...all, slotMs: 900_000, sla: 20 })).filter((s) => s.rings > 0);
      expect(new Map(ringSlots.map((s) => [`${s.peer} ${s.slot}`, s.rings]))).toEqual(new Map([...expectedRings].filter(([, n]) => n > 0)));
      const queueTotal = await store.queueSlots({ ...all, slotMs: 0, sla: 20 });
      expect(queueTotal.reduce((n, s) => n + s.answered + s.abandoned, 0)).toBe(160);
      await store.pruneCallsBefore(iso(t0 + 3 * 3_600_000));
      await check();
      const afterPrune = await store.queueSlots({ ...all, slotMs: 0, sla: 20 });
      expect(afterPrune.reduce((n, s) => n + s.answered + s.abandoned, 0)).toBeLessThan(160);
    });

    it('are kept apart from the event log: pruned on their own', async () => {
      const store = ctx.store();
      await store.appendEvents(byTime([...answered, ...abandoned]));
      expect(await store.pruneEventsBefore(iso(t0 + 86_400_000))).toBeGreaterThan(0);
      expect(await store.listCalls(all)).toHaveLength(2);
      expect(await store.pruneCallsBefore(iso(t0 + 3_000_000))).toBe(1);
      expect((await store.listCalls(all)).map((c) => c.uniqueid)).toEqual(['c2']);
      expect((await store.agentSlots({ ...all, slotMs: 0, sla: 20 })).map((a) => [a.peer, a.rings])).toEqual([['SIP/a', 1]]);
      if (ctx.reopen) {
        const again = await ctx.reopen(store);
        expect((await again.listCalls(all)).map((c) => c.uniqueid)).toEqual(['c2']);
      }
    });
  });
}

const hourMs = 3_600_000;

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 4_294_967_296;
  };
}

/** Adds up slot sums per key: counts and sums add, maxWait and agentname take the largest. */
function addUp<T extends { slot: number }>(list: readonly T[], key: (s: T) => string, group: (slot: number) => number): T[] {
  const out = new Map<string, Record<string, unknown>>();
  for (const s of list) {
    const k = key(s);
    const old = out.get(k);
    if (old === undefined) {
      out.set(k, { ...s, slot: group(s.slot) });
      continue;
    }
    for (const [field, value] of Object.entries(s)) {
      if (field === 'slot') continue;
      const was = old[field];
      if (typeof value === 'number' && field !== 'maxWait') old[field] = (was as number) + value;
      else if (value !== null && (was === null || (value as number | string) > (was as number | string))) old[field] = value;
    }
  }
  return [...out.values()] as T[];
}

const sortSlots = <T extends { slot: number }>(list: T[]): T[] =>
  [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
