import { applyCallEvent, createFloor, type CallEvent } from '@shuttle-cti/protocol';
import { seededRandom } from '@shuttle-cti/sources';
import { describe, expect, it } from 'vitest';
import { createScopeStats } from '../../src/core/scope-stats.js';

describe('a scope’s counters', () => {
  it('count as the floor module counts, over a seeded random stream (repeats, out of order, two days)', () => {
    const random = seededRandom(77);
    const floor = createFloor({}, '2026-12-04');
    const stats = createScopeStats(20_000, '2026-12-04');
    const kinds = ['ringing', 'up', 'hangup', 'abandon', 'outbound', 'ringend'] as const;
    for (let seq = 1; seq <= 5000; seq++) {
      const kind = kinds[Math.floor(random() * kinds.length)] as (typeof kinds)[number];
      const day = seq > 4000 ? '2026-12-05' : random() < 0.05 ? '2026-12-03' : '2026-12-04';
      const event = {
        event: kind,
        seq,
        time: `${day}T10:00:00.000Z`,
        uniqueid: `u${Math.floor(random() * 300)}`,
        queue: 'Sales',
        peer: `SIP/p${Math.floor(random() * 10)}`,
        agentname: 'A',
        agentnum: '1',
        direction: 'inbound',
        callernum: '1',
        extension: '1',
        holdtime: String(Math.floor(random() * 60)),
        ringtime: '1',
        talktime: '3',
        reason: kind === 'ringend' ? 'timeout' : 'agent',
      } as unknown as CallEvent;
      applyCallEvent(floor, event);
      stats.apply(event);
      if (seq % 500 === 0) expect(stats.stats(event.time), `after ${seq} events`).toEqual(floor.stats);
    }
  });
});
