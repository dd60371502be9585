import { Limits } from '@shuttle-cti/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallTracker } from '../../sources/src/ami/call-tracker.js';
import { seedEvents, startTestHub, type TestHub } from './helpers.js';

const batch = (from: number, count: number, size: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${from + i}`, 'x'.repeat(size)]));

describe('custom variables are limited per call, not per request', () => {
  let t: TestHub;
  let seed: Awaited<ReturnType<typeof seedEvents>>;
  const post = (uniqueid: string, variables: Record<string, string>) =>
    fetch(`${t.url}/api/v1/calls/${uniqueid}/variables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tokens.source}`, 'content-type': 'application/json' },
      body: JSON.stringify({ variables }),
    });

  beforeAll(async () => {
    t = await startTestHub();
    seed = await seedEvents();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('40 posts of 64 variables leave the call with at most 64, the excess refused naming the field', async () => {
    const statuses: number[] = [];
    let refusal: unknown;
    for (let i = 0; i < 40; i += 1) {
      const response = await post('limits.1', batch(i * 64, 64, 100));
      statuses.push(response.status);
      if (response.status !== 200) refusal ??= await response.json();
    }
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(1).every((s) => s === 413)).toBe(true);
    expect(refusal).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', field: 'variables' } });
    const [result] = await t.ingest([{ ...seed.ringing, uniqueid: 'limits.1' }]);
    expect(result).toMatchObject({ ok: true });
    const [event] = await t.hub.store.eventsAfter((result as { seq: number }).seq - 1, 1);
    expect(Object.keys(event?.variables ?? {})).toHaveLength(64);
  });

  it('holds the size across requests: 1,000-character values stop at 16 KiB per call', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) statuses.push((await post('limits.2', batch(i, 1, 1000))).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(16);
    const stored = await t.hub.store.getVariables('limits.2');
    expect(Object.values(stored).join('').length).toBeLessThanOrEqual(Limits.variablesBytesPerCall);
  });

  it('refuses a call event whose variables would take its call over the limit, naming the field', async () => {
    expect((await post('limits.3', batch(0, 60, 10))).status).toBe(200);
    const [result] = await t.ingest([{ ...seed.ringing, uniqueid: 'limits.3', variables: batch(100, 10, 10) }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', field: 'variables' } });
  });

  it('the AMI source keeps a call within the limits, so its events are never refused for their variables', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `var${i}`);
    const tracker = createCallTracker({ customVariables: names, outboundContexts: ['from-internal'] });
    const caller = { Channel: 'PJSIP/trunk-00000009', Uniqueid: 'ami.1', CallerIDNum: '333', CallerIDName: 'X', Context: 'from-pstn', Exten: '6000' };
    tracker.handle({ Event: 'QueueCallerJoin', ...caller, Queue: 'Support' });
    for (const name of names) tracker.handle({ Event: 'VarSet', ...caller, Variable: name, Value: 'y'.repeat(2000) });
    const events = tracker.handle({
      Event: 'AgentCalled', ...caller, DestChannel: 'PJSIP/1000-00000001', DestUniqueid: 'ami.1d', Queue: 'Support', Interface: 'PJSIP/1000', MemberName: 'Andrea',
    });
    expect(events.length).toBeGreaterThan(0);
    const results = await t.ingest(events);
    expect(results.every((r) => r.ok)).toBe(true);
    const vars = events[0]?.variables ?? {};
    expect(Object.keys(vars).length).toBeLessThanOrEqual(Limits.variablesPerCall);
    expect(Object.values(vars).every((v) => v.length <= Limits.fieldLength)).toBe(true);
  });
});
