import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, nextEvent, seedEvents, startTestHub, type TestHub } from './helpers.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t.stop();
});

const post = (path: string, body: unknown, token = t.tokens.source, raw?: string) =>
  fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: raw ?? JSON.stringify(body),
  });

describe('POST /api/v1/events', () => {
  it('accepts all five seed samples verbatim and delivers them unchanged plus seq, time, variables', async () => {
    const seeds = await seedEvents();
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const received: Record<string, unknown>[] = [];
    for (const name of Object.keys(seeds)) integration.on(name, (e: Record<string, unknown>) => received.push(e));

    const res = await post('/api/v1/events', Object.values(seeds));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; results: { ok: boolean; seq: number }[] };
    expect(body.accepted).toBe(5);
    const seqs = body.results.map((r) => r.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    await new Promise<void>((resolve) => {
      const check = () => (received.length === 5 ? resolve() : setTimeout(check, 5));
      check();
    });
    for (const [i, seed] of Object.values(seeds).entries()) {
      const got = received[i] ?? {};
      const { seq, time, variables, ...rest } = got;
      expect(rest).toEqual(seed);
      expect(seq).toBe(seqs[i]);
      expect(typeof time).toBe('string');
      expect(new Date(String(time)).toISOString()).toBe(time);
      expect(variables).toEqual({});
    }
    integration.close();
  });

  it('rejects a bad item naming the field and still accepts the good ones', async () => {
    const { up, hangup } = await seedEvents();
    const { holdtime: _drop, ...noHold } = up;
    const res = await post('/api/v1/events', [hangup, noHold, { ...up, ringtime: 3 }, { ...up, event: 'ringin' }]);
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: number; results: { ok: boolean; error?: { code: string; field?: string; message: string } }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toBe(3);
    expect(body.results[0]?.ok).toBe(true);
    // Fields are relative to the item; the message says which item.
    expect(body.results[1]?.error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'holdtime' });
    expect(body.results[1]?.error?.message).toMatch(/events\[1\]: holdtime: is required/);
    expect(body.results[2]?.error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'ringtime' });
    expect(body.results[3]?.error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'event' });
  });

  it('refuses an agentstate with a bad eventid on its own, as it does a call event', async () => {
    const { ringing } = await seedEvents();
    const state = { event: 'agentstate', peer: 'SIP/x', queue: 'Support', member: true, paused: false, status: 'idle' };
    const res = await post('/api/v1/events', [ringing, { ...state, eventid: 7 }, state]);
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; results: { ok: boolean; error?: { code: string; field?: string } }[] };
    expect(body.accepted).toBe(2);
    expect(body.results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(body.results[1]?.error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'eventid' });
  });

  it('answers a single bad event with 400 and the error shape', async () => {
    const res = await post('/api/v1/events', { event: 'up', queue: 'Sales' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; field: string } };
    expect(body.error.code).toBe('INVALID_PAYLOAD');
    expect(body.error.field).toBeTruthy();
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await post('/api/v1/events', undefined, t.tokens.source, '{"event": "up",');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
  });

  it('refuses a missing or wrong-role token', async () => {
    const { up } = await seedEvents();
    const none = await fetch(`${t.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(up) });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await post('/api/v1/events', up, t.tokens.integration);
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('refuses oversized payloads', async () => {
    const { up } = await seedEvents();
    const res = await post('/api/v1/events', { ...up, extra: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const huge = await post('/api/v1/events', [{ ...up, extra: 'x'.repeat(2_000_000) }]);
    expect(huge.status).toBe(413);
  });

  it('attaches custom variables set over HTTP to every later event of the call', async () => {
    const { ringing, up } = await seedEvents();
    const uniqueid = 'vars-call-1';
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const set = await post(`/api/v1/calls/${uniqueid}/variables`, { ordernumber: 'A-1001', customerid: '77' });
    expect(set.status).toBe(200);
    const gotRinging = nextEvent<Record<string, unknown>>(integration, 'ringing');
    await post('/api/v1/events', { ...ringing, uniqueid });
    expect((await gotRinging).variables).toEqual({ ordernumber: 'A-1001', customerid: '77' });
    const gotUp = nextEvent<Record<string, unknown>>(integration, 'up');
    await post('/api/v1/events', { ...up, uniqueid, variables: { ordernumber: 'A-1002' } });
    expect((await gotUp).variables).toEqual({ ordernumber: 'A-1002', customerid: '77' });
    const ack = await integration.emitWithAck('CustomVariables', { uniqueid });
    expect(ack).toEqual({ ok: true, variables: { ordernumber: 'A-1002', customerid: '77' } });
    const bad = await post(`/api/v1/calls/${uniqueid}/variables`, { ordernumber: 5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('ordernumber');
    integration.close();
  });
});

describe('POST /api/v1/calls/{uniqueid}/variables', () => {
  it('takes the longest allowed uniqueid in the path, and refuses longer ones in the error shape', async () => {
    const longest = 'u'.repeat(256);
    const ok = await post(`/api/v1/calls/${longest}/variables`, { ordernumber: '1' });
    expect(ok.status).toBe(200);
    const tooLong = await post(`/api/v1/calls/${longest}u/variables`, { ordernumber: '1' });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { field: string } }).error.field).toBe('uniqueid');
    const huge = await post(`/api/v1/calls/${'x'.repeat(5000)}/variables`, { ordernumber: '1' });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
