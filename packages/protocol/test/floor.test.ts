import { describe, expect, it } from 'vitest';
import {
  applyAgentPresence,
  applyAgentState,
  applyCallEvent,
  boundedFloor,
  createFloor,
  dayOf,
  expireFloor,
  floorFromSnapshot,
  jsonByteLength,
  ownAgentState,
  parseSeconds,
  rollDay,
  setAgentSessions,
  type AgentPresence,
  type AgentStateEvent,
  type CallEvent,
  type FloorState,
} from '../src/index.js';

let seq = 0;
const T = '2026-11-29T10:00:00.000Z';
const at = (minutes: number, from = T): string => new Date(Date.parse(from) + minutes * 60_000).toISOString();
const member = (peer: string) => ({ peer, agentname: `Agent ${peer}`, agentnum: '1', sipname: peer });
const common = (uniqueid: string, time: string) => ({ queue: 'Support', direction: 'inbound', uniqueid, callernum: '333', variables: {}, time, seq: ++seq });

const ringing = (uniqueid: string, peer: string, time = T): CallEvent => ({ event: 'ringing', ringing: true, ...common(uniqueid, time), ...member(peer) });
const ringend = (uniqueid: string, peer: string, time = T): CallEvent => ({
  event: 'ringend',
  ringend: true,
  reason: 'answered-elsewhere',
  ...common(uniqueid, time),
  ...member(peer),
});
const up = (uniqueid: string, peer: string, time = T, holdtime = '4'): CallEvent => ({
  event: 'up',
  up: true,
  holdtime,
  ringtime: '1',
  ...common(uniqueid, time),
  ...member(peer),
});
const hangup = (uniqueid: string, peer: string, time = T): CallEvent => ({
  event: 'hangup',
  hangup: true,
  holdtime: '4',
  ringtime: '1',
  talktime: '30',
  reason: 'agent',
  ...common(uniqueid, time),
  ...member(peer),
});
const abandon = (uniqueid: string, time = T): CallEvent => ({ event: 'abandon', unmanaged: true, holdtime: '9', ...common(uniqueid, time) });
const outbound = (peer: string, time = T): CallEvent => ({
  event: 'outbound',
  outbound: true,
  extension: '200',
  ...common(`out-${seq}`, time),
  ...member(peer),
});

const states = (floor: FloorState): Record<string, string> => Object.fromEntries([...floor.agents.values()].map((a) => [a.peer, a.state]));

describe('floor: calls, agents and counters', () => {
  it('follows a ringall call to its end and keeps today’s counters', () => {
    const floor = createFloor();
    setAgentSessions(floor, 'SIP/a', 1, T);
    setAgentSessions(floor, 'SIP/b', 1, T);
    const rung = applyCallEvent(floor, ringing('c1', 'SIP/a'));
    expect(rung).toMatchObject({ newCall: true, agents: [{ peer: 'SIP/a', state: 'ringing', uniqueid: 'c1' }] });
    expect(applyCallEvent(floor, ringing('c1', 'SIP/b')).newCall).toBe(false);
    expect([...floor.calls.values()]).toMatchObject([{ uniqueid: 'c1', state: 'waiting', ringing: ['SIP/a', 'SIP/b'] }]);

    applyCallEvent(floor, ringend('c1', 'SIP/b', at(0.1)));
    const answered = applyCallEvent(floor, up('c1', 'SIP/a', at(0.2)));
    expect(answered.answered).toBe(true);
    expect([...floor.calls.values()]).toMatchObject([{ state: 'talking', peer: 'SIP/a', ringing: [], answeredAt: at(0.2) }]);
    expect(states(floor)).toEqual({ 'SIP/a': 'on-call', 'SIP/b': 'idle' });

    applyCallEvent(floor, hangup('c1', 'SIP/a', at(1)));
    expect(floor.calls.size).toBe(0);
    expect(floor.agents.get('SIP/a')).toMatchObject({ state: 'idle', since: at(1) });
    expect(floor.agents.get('SIP/a')?.uniqueid).toBeUndefined();

    applyCallEvent(floor, outbound('SIP/a'));
    expect(floor.stats).toEqual({ day: '2026-11-29', calls: 1, answered: 1, abandoned: 0, outbound: 1, avgHoldSeconds: 4 });
  });

  it('shows an agent without a panel as offline once its call ends, and one with a panel as idle', () => {
    const floor = createFloor();
    applyCallEvent(floor, ringing('c1', 'SIP/c'));
    expect(setAgentSessions(floor, 'SIP/c', 1, T).state).toBe('ringing');
    expect(setAgentSessions(floor, 'SIP/c', 0, T).state).toBe('ringing');
    applyCallEvent(floor, ringend('c1', 'SIP/c'));
    expect(floor.agents.get('SIP/c')?.state).toBe('offline');
    expect(setAgentSessions(floor, 'SIP/c', 2, at(1))).toEqual({ peer: 'SIP/c', state: 'idle', sessions: 2, name: 'Agent SIP/c' });
  });

  it('frees every agent rung for a call when the caller abandons (the dashboard did not)', () => {
    const floor = createFloor();
    setAgentSessions(floor, 'SIP/a', 1, T);
    applyCallEvent(floor, ringing('c1', 'SIP/a'));
    applyCallEvent(floor, ringing('c1', 'SIP/b'));
    const change = applyCallEvent(floor, abandon('c1', at(1)));
    expect(change).toMatchObject({ abandoned: true, newCall: false });
    expect(change.agents).toEqual([
      { peer: 'SIP/a', state: 'idle', sessions: 1, name: 'Agent SIP/a' },
      { peer: 'SIP/b', state: 'offline', sessions: 0, name: 'Agent SIP/b' },
    ]);
    expect(states(floor)).toEqual({ 'SIP/a': 'idle', 'SIP/b': 'offline' });
    expect(floor.stats).toMatchObject({ calls: 1, abandoned: 1 });

    // On the dashboard's side: a floor from a snapshot, with no sessions of its own.
    const page = floorFromSnapshot({
      calls: [{ uniqueid: 'c2', queue: 'Support', direction: 'inbound', callernum: '1', state: 'waiting', ringing: ['SIP/a'], since: T, variables: {} }],
      agents: [{ peer: 'SIP/a', state: 'ringing', sessions: 1, uniqueid: 'c2', since: T }],
      stats: { day: '2026-11-29', calls: 1, answered: 0, abandoned: 0, outbound: 0, avgHoldSeconds: 0 },
    });
    applyCallEvent(page, abandon('c2', at(1)));
    expect(page.agents.get('SIP/a')).toMatchObject({ state: 'idle', since: at(1) });
    expect(page.agents.get('SIP/a')?.uniqueid).toBeUndefined();
  });

  it('an agent freed from a ring goes back to the call it is talking on', () => {
    const floor = createFloor();
    setAgentSessions(floor, 'SIP/a', 1, T);
    applyCallEvent(floor, up('c1', 'SIP/a'));
    applyCallEvent(floor, ringing('c2', 'SIP/a', at(1)));
    expect(floor.agents.get('SIP/a')).toMatchObject({ state: 'ringing', uniqueid: 'c2' });
    applyCallEvent(floor, abandon('c2', at(2)));
    expect(floor.agents.get('SIP/a')).toMatchObject({ state: 'on-call', uniqueid: 'c1' });
    applyCallEvent(floor, hangup('c1', 'SIP/a', at(3)));
    expect(floor.agents.get('SIP/a')).toMatchObject({ state: 'idle' });
  });

  it('counts an abandon of a call it never saw, and keeps each call’s latest custom variables', () => {
    const floor = createFloor();
    expect(applyCallEvent(floor, abandon('ghost')).newCall).toBe(true);
    applyCallEvent(floor, ringing('c1', 'SIP/a'));
    applyCallEvent(floor, { ...up('c1', 'SIP/a'), variables: { order: 'A-1' } });
    expect(floor.calls.get('c1')?.variables).toEqual({ order: 'A-1' });
    expect(floor.stats).toMatchObject({ calls: 2, abandoned: 1, answered: 1 });
  });
});

describe('floor: today is the UTC day', () => {
  it('names the day of a time by its UTC date, whatever the local zone', () => {
    expect(dayOf('2026-11-29T23:59:59.999Z')).toBe('2026-11-29');
    expect(dayOf('2026-11-30T00:00:00.000Z')).toBe('2026-11-30');
    expect(dayOf(new Date(Date.UTC(2026, 10, 29, 23, 30)).toISOString())).toBe('2026-11-29');
  });

  it('rolls the counters over at 00:00 UTC on the first event of the new day', () => {
    const floor = createFloor();
    applyCallEvent(floor, up('c1', 'SIP/a', '2026-11-29T23:59:59.000Z', '10'));
    expect(floor.stats).toMatchObject({ day: '2026-11-29', calls: 1, answered: 1, avgHoldSeconds: 10 });
    applyCallEvent(floor, up('c2', 'SIP/b', '2026-11-30T00:00:01.000Z', '2'));
    expect(floor.stats).toEqual({ day: '2026-11-30', calls: 1, answered: 1, abandoned: 0, outbound: 0, avgHoldSeconds: 2 });
    // The call answered before midnight is still in progress: only the counters roll.
    expect(floor.calls.size).toBe(2);
  });

  it('rolls over on the clock alone, with no event after midnight', () => {
    const floor = createFloor();
    applyCallEvent(floor, abandon('c1', '2026-11-29T23:00:00.000Z'));
    expect(rollDay(floor, '2026-11-29T23:59:00.000Z')).toBe(true);
    expect(floor.stats.abandoned).toBe(1);
    expireFloor(floor, Date.parse('2026-11-30T00:00:00.000Z'));
    expect(floor.stats).toMatchObject({ day: '2026-11-30', calls: 0, abandoned: 0 });
  });

  it('never rolls back: an event stamped with an earlier day is tracked but not counted (the hub used to reset to that day)', () => {
    const floor = createFloor();
    applyCallEvent(floor, abandon('today', '2026-11-30T08:00:00.000Z'));
    const late = applyCallEvent(floor, ringing('late', 'SIP/a', '2026-11-29T23:59:58.000Z'));
    expect(late.newCall).toBe(true);
    expect(floor.calls.has('late')).toBe(true);
    expect(floor.stats).toMatchObject({ day: '2026-11-30', calls: 1, abandoned: 1 });
  });

  it('an empty floor takes the day of its first event', () => {
    const floor = createFloor();
    expect(floor.stats.day).toBe('');
    applyCallEvent(floor, abandon('c1', '2026-12-01T09:00:00.000Z'));
    expect(floor.stats).toMatchObject({ day: '2026-12-01', calls: 1, abandoned: 1 });
  });
});

describe('floor: hold times', () => {
  it('reads seconds as the PBX sends them and nothing else', () => {
    expect(parseSeconds('4')).toBe(4);
    expect(parseSeconds('4.5')).toBe(4.5);
    expect(parseSeconds(' 12 ')).toBe(12);
    expect(parseSeconds(7)).toBe(7);
    for (const odd of ['', '-3', 'Infinity', '1e3', '0x10', 'abc', -1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined]) {
      expect(parseSeconds(odd), String(odd)).toBe(0);
    }
  });

  it('keeps the mean finite when a hold time is odd (the hub took "Infinity" and "-3" as numbers)', () => {
    const floor = createFloor();
    applyCallEvent(floor, up('c1', 'SIP/a', T, '6'));
    applyCallEvent(floor, up('c2', 'SIP/b', T, 'Infinity'));
    applyCallEvent(floor, up('c3', 'SIP/c', T, '-3'));
    expect(floor.stats).toMatchObject({ answered: 3, avgHoldSeconds: 2 });
    expect(JSON.parse(JSON.stringify(floor.stats))).toMatchObject({ avgHoldSeconds: 2 });
  });
});

describe('floor: the hub and a dashboard agree', () => {
  it('a dashboard that starts from a snapshot and applies the same events and presences ends with the hub’s floor', () => {
    const hub = createFloor();
    const presences: AgentPresence[] = [];
    const events: CallEvent[] = [];
    const hubApply = (event: CallEvent): void => {
      events.push(event);
      presences.push(...applyCallEvent(hub, event).agents);
    };
    for (const peer of ['SIP/a', 'SIP/b', 'SIP/c']) setAgentSessions(hub, peer, 1, T);
    hubApply(ringing('c1', 'SIP/a', at(1)));
    hubApply(ringing('c1', 'SIP/b', at(1)));
    hubApply(up('c1', 'SIP/a', at(2), '5'));
    hubApply(ringend('c1', 'SIP/b', at(2)));

    const snapshot = JSON.parse(
      JSON.stringify({ calls: [...hub.calls.values()], agents: [...hub.agents.values()], stats: hub.stats }),
    ) as Parameters<typeof floorFromSnapshot>[0];
    const page = floorFromSnapshot(snapshot);
    events.length = 0;
    presences.length = 0;

    hubApply(ringing('c2', 'SIP/b', at(3)));
    hubApply(ringing('c2', 'SIP/c', at(3)));
    hubApply(abandon('c2', at(4)));
    hubApply(hangup('c1', 'SIP/a', at(5)));
    hubApply(up('c3', 'SIP/c', at(6), '3'));
    presences.push(setAgentSessions(hub, 'SIP/b', 0, at(7)));

    // The page gets the events, then the presences the hub sends for them.
    for (const event of events) applyCallEvent(page, event);
    for (const presence of presences) applyAgentPresence(page, presence, at(7));

    expect([...page.calls.values()]).toEqual([...hub.calls.values()]);
    expect(states(page)).toEqual(states(hub));
    expect(page.stats).toEqual(hub.stats);
    expect(hub.stats).toMatchObject({ calls: 3, answered: 2, abandoned: 1, avgHoldSeconds: 4 });
  });
});

describe('floor: bounds', () => {
  it('keeps at most maxCalls, dropping the waiting call updated longest ago and freeing its agents', () => {
    const floor = createFloor({ maxCalls: 3 });
    applyCallEvent(floor, up('talk', 'SIP/t', at(0)));
    applyCallEvent(floor, ringing('w1', 'SIP/1', at(1)));
    applyCallEvent(floor, ringing('w2', 'SIP/2', at(2)));
    applyCallEvent(floor, ringing('w1', 'SIP/1b', at(3))); // w1 is now more recent than w2
    const change = applyCallEvent(floor, ringing('w3', 'SIP/3', at(4)));
    expect([...floor.calls.keys()]).toEqual(['talk', 'w1', 'w3']);
    expect(change.agents).toContainEqual({ peer: 'SIP/2', state: 'offline', sessions: 0, name: 'Agent SIP/2' });
    expect(floor.removals.evictedCalls).toBe(1);

    for (let i = 0; i < 100; i++) applyCallEvent(floor, ringing(`flood-${i}`, `SIP/f${i}`, at(5 + i / 100)));
    expect(floor.calls.size).toBe(3);
    expect(floor.calls.has('talk')).toBe(true); // a quiet talking call outlives a flood of ringing ones
    expect(floor.removals.evictedCalls).toBe(101);
    expect(floor.stats.calls).toBe(104);
    expect(floor.waiting.size + floor.talking.size).toBe(3);
  });

  it('keeps at most maxAgents: offline ones first, never one with a panel open', () => {
    const floor = createFloor({ maxAgents: 3 });
    setAgentSessions(floor, 'SIP/panel', 1, at(0));
    applyCallEvent(floor, ringing('c1', 'SIP/x', at(1)));
    applyCallEvent(floor, ringend('c1', 'SIP/x', at(2))); // offline now
    applyCallEvent(floor, ringing('c1', 'SIP/y', at(3)));
    applyCallEvent(floor, ringing('c1', 'SIP/z', at(4)));
    expect([...floor.agents.keys()]).toEqual(['SIP/panel', 'SIP/y', 'SIP/z']);
    for (let i = 0; i < 50; i++) applyCallEvent(floor, ringing(`c${i}`, `SIP/n${i}`, at(5 + i)));
    expect(floor.agents.size).toBe(3);
    expect(floor.agents.has('SIP/panel')).toBe(true);
    expect(floor.agents.has('SIP/n49')).toBe(true);
    expect(floor.removals.evictedAgents).toBe(51);
  });

  it('does not bring back an evicted agent when its call is evicted in turn', () => {
    const floor = createFloor({ maxCalls: 100, maxAgents: 100 });
    for (let i = 0; i < 1000; i++) applyCallEvent(floor, ringing(`c${i}`, `SIP/p${i}`, at(i / 100)));
    expect(floor.calls.size).toBe(100);
    expect(floor.agents.size).toBe(100);
    expect(floor.removals).toMatchObject({ evictedCalls: 900, evictedAgents: 900 });
    expect(new Set([...floor.calls.values()].flatMap((c) => c.ringing))).toEqual(new Set(floor.agents.keys()));
  });

  it('shows at most maxRingingPerCall peers rung for one call, freeing the first rung', () => {
    const floor = createFloor({ maxRingingPerCall: 2 });
    for (const peer of ['SIP/1', 'SIP/2', 'SIP/3']) applyCallEvent(floor, ringing('c1', peer));
    expect(floor.calls.get('c1')?.ringing).toEqual(['SIP/2', 'SIP/3']);
    expect(floor.agents.get('SIP/1')?.state).toBe('offline');
  });

  it('expires calls with no event on the schedule (waiting and talking apart) and forgets agents long offline', () => {
    const floor = createFloor({ waitingCallMs: 10 * 60_000, talkingCallMs: 60 * 60_000, offlineAgentMs: 30 * 60_000 });
    setAgentSessions(floor, 'SIP/p', 1, T);
    applyCallEvent(floor, ringing('waits', 'SIP/w', at(0)));
    applyCallEvent(floor, up('talks', 'SIP/p', at(0)));
    applyCallEvent(floor, ringing('fresh', 'SIP/f', at(0)));
    applyCallEvent(floor, ringing('fresh', 'SIP/f', at(8))); // an update keeps it live

    expect(expireFloor(floor, Date.parse(at(9)))).toMatchObject({ calls: 0, agents: 0 });
    const first = expireFloor(floor, Date.parse(at(11)));
    expect(first).toMatchObject({ calls: 1, agents: 0, changed: [{ peer: 'SIP/w', state: 'offline' }] });
    expect([...floor.calls.keys()]).toEqual(['talks', 'fresh']);

    const second = expireFloor(floor, Date.parse(at(61)));
    expect(second.calls).toBe(2);
    expect(second.changed).toContainEqual({ peer: 'SIP/p', state: 'idle', sessions: 1, name: 'Agent SIP/p' });
    expect(floor.calls.size).toBe(0);
    // SIP/w went offline at 11 (forgotten by 61), SIP/f only at 61.
    expect(second.agents).toBe(1);
    expect([...floor.agents.keys()]).toEqual(['SIP/p', 'SIP/f']);
    expect(expireFloor(floor, Date.parse(at(90))).agents).toBe(0);
    expect(expireFloor(floor, Date.parse(at(92))).agents).toBe(1); // SIP/p has a panel open
    expect([...floor.agents.keys()]).toEqual(['SIP/p']);
    expect(floor.removals).toEqual({ evictedCalls: 0, evictedAgents: 0, expiredCalls: 3, forgottenAgents: 2 });
  });

  it('expires on the same schedule after starting from a snapshot', () => {
    const page = floorFromSnapshot({
      calls: [
        { uniqueid: 'new', queue: 'Q', direction: 'inbound', callernum: '1', state: 'waiting', ringing: [], since: at(5), variables: {} },
        { uniqueid: 'old', queue: 'Q', direction: 'inbound', callernum: '1', state: 'waiting', ringing: [], since: at(0), variables: {} },
      ],
      agents: [{ peer: 'SIP/gone', state: 'offline', sessions: 0, since: at(0) }],
      stats: { day: '2026-11-29', calls: 2, answered: 0, abandoned: 0, outbound: 0, avgHoldSeconds: 0 },
    }, { waitingCallMs: 10 * 60_000, offlineAgentMs: 10 * 60_000 });
    expect(expireFloor(page, Date.parse(at(12)))).toMatchObject({ calls: 1, agents: 1 });
    expect([...page.calls.keys()]).toEqual(['new']);
  });

  it('bounds a snapshot’s calls and agents by bytes, keeping live agents and the newest calls', () => {
    const floor = createFloor();
    for (let i = 0; i < 10; i++) setAgentSessions(floor, `SIP/on${i}`, 1, at(0));
    for (let i = 0; i < 500; i++) applyCallEvent(floor, ringing(`c${i}`, `SIP/r${i}`, at(i / 100)));
    for (let i = 0; i < 500; i++) applyCallEvent(floor, ringend(`c${i}`, `SIP/r${i}`, at(6)));

    const all = boundedFloor(floor, Number.MAX_SAFE_INTEGER);
    expect(all).toMatchObject({ omittedCalls: 0, omittedAgents: 0 });
    expect(all.calls).toEqual([...floor.calls.values()]);
    expect(all.agents).toEqual([...floor.agents.values()]);

    const budget = 20_000;
    const part = boundedFloor(floor, budget);
    expect(jsonByteLength(part.calls) + jsonByteLength(part.agents)).toBeLessThanOrEqual(budget);
    expect(part.omittedCalls).toBeGreaterThan(0);
    expect(part.calls.length + part.omittedCalls).toBe(500);
    expect(part.agents.length + part.omittedAgents).toBe(510);
    expect(part.agents.filter((a) => a.sessions > 0)).toHaveLength(10);
    expect(part.calls.at(-1)?.uniqueid).toBe('c499');
    const kept = part.calls.map((c) => Number(c.uniqueid.slice(1)));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it('with a filter, bounds only what it passes, by the same rule (a scoped supervisor’s snapshot)', () => {
    const floor = createFloor();
    for (let i = 0; i < 10; i++) setAgentSessions(floor, `SIP/on${i}`, 1, at(0));
    for (let i = 0; i < 500; i++) applyCallEvent(floor, ringing(`c${i}`, `SIP/r${i}`, at(i / 100)));
    const even = (n: string): boolean => Number(n.replace(/\D+/g, '')) % 2 === 0;
    const filter = { call: (c: { uniqueid: string }) => even(c.uniqueid), agent: (a: { peer: string }) => even(a.peer) };

    const all = boundedFloor(floor, Number.MAX_SAFE_INTEGER, undefined, filter);
    expect(all).toMatchObject({ omittedCalls: 0, omittedAgents: 0 });
    expect(all.calls.map((c) => c.uniqueid)).toEqual([...floor.calls.keys()].filter(even));
    expect(all.agents.map((a) => a.peer)).toEqual([...floor.agents.keys()].filter(even));

    const budget = 10_000;
    const part = boundedFloor(floor, budget, undefined, filter);
    expect(jsonByteLength(part.calls) + jsonByteLength(part.agents)).toBeLessThanOrEqual(budget);
    expect(part.calls.length + part.omittedCalls).toBe(250);
    expect(part.agents.length + part.omittedAgents).toBe(255);
    expect(part.agents.filter((a) => a.sessions > 0)).toHaveLength(5);
    expect(part.calls.at(-1)?.uniqueid).toBe('c498');
  });
});

describe('floor: pause and queue membership (agentstate)', () => {
  const state = (peer: string, queue: string, time: string, fields: { member?: boolean; paused?: boolean; reason?: string } = {}): AgentStateEvent => ({
    event: 'agentstate',
    agentstate: true,
    peer,
    queue,
    member: fields.member ?? true,
    status: 'AST_DEVICE_NOT_INUSE',
    paused: fields.paused ?? false,
    ...(fields.reason === undefined ? {} : { reason: fields.reason }),
    time,
    seq: ++seq,
  });

  it('is paused while paused in any queue, timed from the first pause, with the newest reason', () => {
    const floor = createFloor();
    applyAgentState(floor, state('SIP/a', 'Support', at(0)));
    const [ready] = applyAgentState(floor, state('SIP/a', 'Sales', at(1)));
    expect(ready).toMatchObject({ peer: 'SIP/a', paused: false, queues: ['Sales', 'Support'] });
    expect(ready).not.toHaveProperty('pausedSince');

    applyAgentState(floor, state('SIP/a', 'Support', at(2), { paused: true, reason: 'lunch' }));
    const [both] = applyAgentState(floor, state('SIP/a', 'Sales', at(3), { paused: true, reason: 'training' }));
    expect(both).toMatchObject({ paused: true, reason: 'training', pausedSince: at(2) });
    expect(ownAgentState(floor, 'SIP/a')).toEqual({ paused: true, reason: 'training', pausedSince: at(2), queues: ['Sales', 'Support'], pausedQueues: ['Sales', 'Support'] });

    const [one] = applyAgentState(floor, state('SIP/a', 'Sales', at(4)));
    expect(one).toMatchObject({ paused: true, pausedSince: at(2) });
    expect(ownAgentState(floor, 'SIP/a')?.pausedQueues).toEqual(['Support']);

    const [none] = applyAgentState(floor, state('SIP/a', 'Support', at(5)));
    expect(none).toMatchObject({ paused: false, queues: ['Sales', 'Support'] });
    expect(none).not.toHaveProperty('reason');
    expect(none).not.toHaveProperty('pausedSince');
  });

  it('drops a queue the agent leaves, and knows no state for an agent no agentstate named', () => {
    const floor = createFloor();
    applyCallEvent(floor, ringing('c1', 'SIP/b'));
    expect(ownAgentState(floor, 'SIP/b')).toBeUndefined();
    applyAgentState(floor, state('SIP/b', 'Support', at(0), { paused: true }));
    const [left] = applyAgentState(floor, state('SIP/b', 'Support', at(1), { member: false }));
    expect(left).toMatchObject({ peer: 'SIP/b', state: 'ringing', paused: false, queues: [] });
    expect(ownAgentState(floor, 'SIP/b')).toEqual({ paused: false, queues: [], pausedQueues: [] });
  });

  it('keeps a forgotten agent’s other queues, and at most maxAgents peers’ memberships', () => {
    const floor = createFloor({ maxAgents: 3, offlineAgentMs: 60_000 });
    applyAgentState(floor, state('SIP/c', 'Support', at(0)));
    applyAgentState(floor, state('SIP/c', 'Sales', at(0)));
    expireFloor(floor, Date.parse(at(5)));
    expect(floor.agents.has('SIP/c')).toBe(false);
    const [back] = applyAgentState(floor, state('SIP/c', 'Billing', at(6), { paused: true }));
    expect(back).toMatchObject({ queues: ['Billing', 'Sales', 'Support'], paused: true });

    for (const peer of ['SIP/d', 'SIP/e', 'SIP/f', 'SIP/g']) applyAgentState(floor, state(peer, 'Support', at(7)));
    expect(floor.agents.size).toBeLessThanOrEqual(3);
    expect(floor.memberships.size).toBeLessThanOrEqual(3);
    for (const peer of floor.agents.keys()) expect(floor.memberships.has(peer)).toBe(true);
  });
});
