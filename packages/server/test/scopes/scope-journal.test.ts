import type { CallEvent } from '@shuttle-cti/protocol';
import { expect, it } from 'vitest';
import { createScopeJournal } from '../../src/core/scope-journal.js';

const event = (i: number, kind: 'ringing' | 'up' | 'ringend' = 'up'): CallEvent =>
  ({ event: kind, seq: i, time: `2026-12-0${1 + (i % 2)}T10:00:00.000Z`, uniqueid: `u${i}`, queue: `q${i % 3}`, peer: `SIP/p${i}`, holdtime: `${i}.5` }) as unknown as CallEvent;

it('keeps the most recent events, oldest first, with their day, names and hold seconds; ringend left out', () => {
  const journal = createScopeJournal(5);
  for (let i = 1; i <= 12; i++) journal.record(event(i));
  journal.record(event(13, 'ringend'));
  const got: unknown[] = [];
  journal.replay((e) => got.push({ ...e }));
  expect(got).toEqual([8, 9, 10, 11, 12].map((i) => ({ event: 'up', time: `2026-12-0${1 + (i % 2)}`, uniqueid: `u${i}`, queue: `q${i % 3}`, peer: `SIP/p${i}`, holdtime: i + 0.5 })));
  const short = createScopeJournal(5);
  for (let i = 1; i <= 3; i++) short.record(event(i, 'ringing'));
  const some: unknown[] = [];
  short.replay((e) => some.push(e.uniqueid + e.event + String(e.holdtime)));
  expect(some).toEqual(['u1ringingundefined', 'u2ringingundefined', 'u3ringingundefined']);
});
