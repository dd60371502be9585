import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../store/test/tcp-proxy.js';
import { createClusterEnv, describeCluster } from './cluster/cluster-env.js';
import { connectWithFailover, until as untilAsync } from './cluster/failover-client.js';
import { cliToken, startServe } from './faults/serve-process.js';
import { collect, connectClient, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

type Result = { ok: boolean; seq?: number; duplicate?: boolean; error?: { code: string; field?: string } };

/**
 * POST over a connection of its own: a pooled keep-alive connection to the hub that a test has
 * just restarted on the same port may be picked before its close is seen ("other side closed").
 */
function post(url: string, token: string, body: unknown): Promise<{ status: number; body: Result & { results?: Result[] } }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/events`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Result & { results?: Result[] } });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function storedEvents(url: string, token: string): Promise<Array<{ seq: number; eventid?: string }>> {
  const res = await fetch(`${url}/api/v1/events?limit=5000`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { events: Array<{ seq: number; eventid?: string }> }).events;
}

let seed: Record<string, unknown>;
let n = 0;
/** The seed's ringing event with a new uniqueid and the given id. */
const ringing = (eventid?: string): Record<string, unknown> => ({
  ...seed,
  uniqueid: `idem-${++n}`,
  ...(eventid === undefined ? {} : { eventid }),
});

beforeAll(async () => {
  seed = (await seedEvents()).ringing;
});

describe('idempotent ingest (one hub)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers a repeat with the original seq and duplicate: true, alone, in an array and twice in one array; publishes once', async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const received = collect<{ seq: number; eventid?: string }>(integration, ['ringing']);
    const first = ringing('pbx-1:ringing:a');
    const other = ringing('pbx-1:ringing:b');

    const alone = await post(t.url, t.tokens.source, first);
    expect(alone.status).toBe(202);
    expect(alone.body.ok).toBe(true);
    expect(alone.body.duplicate).toBeUndefined();
    const seq = alone.body.seq;

    const again = await post(t.url, t.tokens.source, { ...first, callernum: 'retried' });
    expect(again).toEqual({ status: 202, body: { ok: true, seq, duplicate: true } });

    const batch = await post(t.url, t.tokens.source, [other, first, other, ringing()]);
    expect(batch.status).toBe(202);
    const [b0, b1, b2, b3] = batch.body.results ?? [];
    expect(b0).toEqual({ ok: true, seq: expect.any(Number) });
    expect(b1).toEqual({ ok: true, seq, duplicate: true });
    expect(b2).toEqual({ ok: true, seq: b0?.seq, duplicate: true });
    expect(b3?.duplicate).toBeUndefined();
    expect(batch.body).toMatchObject({ accepted: 4, rejected: 0 });

    await until(() => received.length >= 3, 5000, 'the three events');
    // A marker event after the repeats: once it is in, nothing else is coming.
    const marker = await post(t.url, t.tokens.source, ringing('marker-1'));
    await until(() => received.some((e) => e.seq === marker.body.seq), 5000, 'the marker');
    expect(received.map((e) => e.seq)).toEqual([seq, b0?.seq, b3?.seq, marker.body.seq]);
    expect(received[0]?.eventid).toBe('pbx-1:ringing:a');
    const stored = await storedEvents(t.url, t.tokens.supervisor);
    expect(stored.filter((e) => e.eventid === 'pbx-1:ringing:a')).toHaveLength(1);
    integration.close();
  });

  it('refuses an eventid longer than 128 characters, naming the field', async () => {
    const res = await post(t.url, t.tokens.source, ringing('x'.repeat(129)));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'eventid' });
  });

  it('answers a repeat after the hub restarted with the original seq', async () => {
    const id = 'pbx-1:up:restart';
    const first = await post(t.url, t.tokens.source, ringing(id));
    await t.restart();
    const again = await post(t.url, t.tokens.source, ringing(id));
    expect(again.body).toEqual({ ok: true, seq: first.body.seq, duplicate: true });
  });
});

describe('idempotent ingest across a SIGKILL', () => {
  it('answers a repeat sent to the restarted process with the original seq, stored once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shuttle-cti-idem-'));
    const port = await freePort();
    const source = await cliToken(dataDir, 'source');
    const supervisor = await cliToken(dataDir, 'supervisor');
    let hub = await startServe({ port, dataDir });
    try {
      const event = ringing('pbx-1:ringing:sigkill');
      const first = await post(hub.url, source, event);
      expect(first.status).toBe(202);
      await hub.kill('SIGKILL');
      hub = await startServe({ port, dataDir });
      const again = await post(hub.url, source, [event, ringing('pbx-1:ringing:after')]);
      expect(again.body.results?.[0]).toEqual({ ok: true, seq: first.body.seq, duplicate: true });
      expect(again.body.results?.[1]?.duplicate).toBeUndefined();
      const stored = await storedEvents(hub.url, supervisor);
      expect(stored.map((e) => e.eventid)).toEqual(['pbx-1:ringing:sigkill', 'pbx-1:ringing:after']);
    } finally {
      await hub.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Posts as a source does: an overloaded hub's 503 (it answers Retry-After: 1 or more) is sent again after a second. */
async function postRetrying(url: string, token: string, body: unknown): Promise<{ status: number; body: Result & { results?: Result[] } }> {
  for (let attempt = 1; ; attempt++) {
    const answer = await post(url, token, body);
    if (answer.status !== 503 || attempt === 5) return answer;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

describeCluster('idempotent ingest across several hubs sharing PostgreSQL', () => {
  it('stores and publishes each id once when every event is posted to both hubs at once', async () => {
    const env = await createClusterEnv();
    try {
      const [a, b] = await Promise.all([env.startHub('idem-a'), env.startHub('idem-b')]);
      if (!a || !b) throw new Error('hubs did not start');
      const onA = connectWithFailover([a.url], '/', env.tokens.integration);
      const onB = connectWithFailover([b.url], '/', env.tokens.integration);
      await untilAsync(() => onA.of('welcome').length > 0 && onB.of('welcome').length > 0, 'both integrations');
      const events = Array.from({ length: 30 }, (_, i) => ringing(`cluster-idem-${i}`));
      const answers = await Promise.all(
        events.flatMap((event) => [postRetrying(a.url, env.tokens.source, event), postRetrying(b.url, env.tokens.source, event)]),
      );
      const results = answers.map((r) => r.body);
      // On a busy machine a hub may refuse for overload first (503, retried above); any other refusal is a failure, shown whole.
      expect(answers.filter((r) => r.body.ok !== true)).toEqual([]);
      expect(results.filter((r) => r.duplicate !== true)).toHaveLength(events.length);
      for (let i = 0; i < events.length; i++) expect(results[2 * i]?.seq).toBe(results[2 * i + 1]?.seq);
      const stored = await env.store.eventsAfter(0, 1000);
      expect(stored).toHaveLength(events.length);
      await untilAsync(() => onA.of('ringing').length >= events.length && onB.of('ringing').length >= events.length, 'every event on both hubs');
      // A marker after everything: once it arrived on both, no repeat is still on its way.
      const marker = await post(a.url, env.tokens.source, ringing('cluster-idem-marker'));
      const seen = (c: typeof onA) => c.of('ringing').map((e) => e['seq']);
      await untilAsync(() => seen(onA).includes(marker.body.seq) && seen(onB).includes(marker.body.seq), 'the marker on both hubs');
      for (const client of [onA, onB]) {
        const seqs = seen(client);
        expect(new Set(seqs).size).toBe(seqs.length);
        expect(seqs).toHaveLength(events.length + 1);
      }
      onA.close();
      onB.close();
    } finally {
      await env.cleanup();
    }
  }, 120_000);
});
