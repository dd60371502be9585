import type { CallEvent } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import { createCallTracker } from '../src/core/call-tracker.js';

let seq = 0;
const at = '2026-11-29T10:00:00.000Z';
const base = { queue: 'Support', direction: 'inbound', uniqueid: 'c1', callernum: '333', variables: {}, time: at };
const agent = (peer: string, name: string) => ({ peer, agentname: name, agentnum: '1', sipname: peer });
const ev = (e: Record<string, unknown>): CallEvent => ({ ...base, seq: ++seq, ...e }) as unknown as CallEvent;

describe('call tracker', () => {
  it('follows a ringall call to its end and keeps today’s counters', () => {
    const t = createCallTracker(() => new Date(at));
    t.setSessions('SIP/a', 1);
    t.setSessions('SIP/b', 1);
    t.apply(ev({ event: 'ringing', ringing: true, ...agent('SIP/a', 'A') }));
    t.apply(ev({ event: 'ringing', ringing: true, ...agent('SIP/b', 'B') }));
    expect(t.calls()).toMatchObject([{ uniqueid: 'c1', state: 'waiting', ringing: ['SIP/a', 'SIP/b'] }]);
    expect(t.agents().map((a) => a.state)).toEqual(['ringing', 'ringing']);

    t.apply(ev({ event: 'ringend', reason: 'answered-elsewhere', ringend: true, ...agent('SIP/b', 'B') }));
    t.apply(ev({ event: 'up', up: true, holdtime: '4', ringtime: '1', ...agent('SIP/a', 'A') }));
    expect(t.calls()).toMatchObject([{ state: 'talking', peer: 'SIP/a', ringing: [] }]);
    expect(Object.fromEntries(t.agents().map((a) => [a.peer, a.state]))).toEqual({ 'SIP/a': 'on-call', 'SIP/b': 'idle' });

    t.apply(ev({ event: 'hangup', hangup: true, holdtime: '4', ringtime: '1', talktime: '30', reason: 'agent', ...agent('SIP/a', 'A') }));
    expect(t.calls()).toEqual([]);
    expect(t.agents().find((a) => a.peer === 'SIP/a')?.state).toBe('idle');

    t.apply(ev({ event: 'ringing', ringing: true, uniqueid: 'c2', ...agent('SIP/b', 'B') }));
    t.apply(ev({ event: 'abandon', unmanaged: true, uniqueid: 'c2', holdtime: '9', direction: 'unmanaged' }));
    expect(t.agents().find((a) => a.peer === 'SIP/b')?.state).toBe('idle');
    expect(t.stats()).toMatchObject({ calls: 2, answered: 1, abandoned: 1, avgHoldSeconds: 4 });
  });

  it('shows agents without a session as offline and forgets calls that lost their hangup', () => {
    const t = createCallTracker(() => new Date(at));
    t.apply(ev({ event: 'ringing', ringing: true, uniqueid: 'lost', ...agent('SIP/c', 'C') }));
    expect(t.setSessions('SIP/c', 1).state).toBe('ringing');
    t.apply(ev({ event: 'ringend', reason: 'timeout', ringend: true, uniqueid: 'lost', ...agent('SIP/c', 'C') }));
    expect(t.setSessions('SIP/c', 0).state).toBe('offline');
    expect(t.prune('2026-11-29T11:00:00.000Z')).toBe(1);
    expect(t.calls()).toEqual([]);
  });
});
