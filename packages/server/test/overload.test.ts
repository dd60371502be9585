import { createHttpSink } from '@shuttle-cti/sources';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

let t: TestHub;
beforeAll(async () => {
  // Small bounds so that one integration that stops reading fills the backlog quickly.
  t = await startTestHub({ config: { limits: { ingestBacklog: 20, ingestMaxLagMs: 200, httpBodyBytes: 8 * 1024 * 1024 } } });
});
afterAll(async () => {
  await t.stop();
});

const post = (body: unknown) =>
  fetch(`${t.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.source}` },
    body: JSON.stringify(body),
  });

/** The TCP socket under a socket.io client's websocket (engine.io-client keeps the `ws` WebSocket as `ws`). */
function tcpOf(socket: Socket): { pause(): void; resume(): void } {
  const transport = socket.io.engine.transport as unknown as { ws?: { _socket?: { pause(): void; resume(): void } } };
  const tcp = transport.ws?._socket;
  if (!tcp) throw new Error('no websocket under the client');
  return tcp;
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').pop());
  return sum;
}

describe('overload admission with a real hub', () => {
  it('answers 503 UNAVAILABLE with Retry-After while an integration does not keep up, then recovers; nothing accepted is lost', async () => {
    const { ringing } = await seedEvents();
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const got = collect<{ seq: number; uniqueid: string }>(integration, ['ringing']);
    // The integration stops reading: the kernel's buffers fill, then the hub's write buffer.
    tcpOf(integration).pause();

    // Events of about 10 KB (unknown fields are kept), 50 to a request, until the hub refuses.
    const filler = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x${i}`, 'y'.repeat(1000)]));
    const accepted = new Set<number>();
    let n = 0;
    let refusal: Response | undefined;
    for (let request = 0; request < 400 && !refusal; request++) {
      const batch = Array.from({ length: 50 }, () => ({ ...ringing, ...filler, uniqueid: `ov.${++n}` }));
      const res = await post(batch);
      if (res.status === 503) {
        refusal = res;
        break;
      }
      expect(res.status).toBe(202);
      const body = (await res.json()) as { results: { seq: number }[] };
      for (const r of body.results) accepted.add(r.seq);
    }
    expect(refusal, 'the hub never refused').toBeDefined();
    expect(refusal?.headers.get('retry-after')).toBe('1');
    const body = (await refusal?.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAVAILABLE');
    expect(body.error.message).toMatch(/overloaded/);
    expect(await metric('shuttle_cti_ingest_refused_total')).toBeGreaterThanOrEqual(50);
    expect(await metric('shuttle_cti_ingest_backlog')).toBeGreaterThan(0);

    // A source posting now waits as asked and gets in once the hub has caught up.
    const sink = createHttpSink({ url: t.url, token: t.tokens.source });
    // (refused before its body is read: the hub is refusing already)
    const refusedBefore = await metric('shuttle_cti_ingest_refused_requests_total');
    expect(refusedBefore).toBeGreaterThanOrEqual(1);
    const late = sink.emit({ ...ringing, uniqueid: 'ov.sink' } as never);
    await until(async () => (await metric('shuttle_cti_ingest_refused_requests_total')) > refusedBefore, 5000, 'the sink to be refused');

    tcpOf(integration).resume();
    await late;
    await until(() => got.some((e) => e.uniqueid === 'ov.sink'), 20_000, 'the sink’s event');
    // Every accepted event arrived, once; none of the refused ones did.
    const seqs = got.filter((e) => e.uniqueid !== 'ov.sink').map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(new Set(seqs)).toEqual(accepted);
    expect(await metric('shuttle_cti_ingest_backlog')).toBe(0);

    // And the hub takes events again.
    const again = await post({ ...ringing, uniqueid: 'ov.after' });
    expect(again.status).toBe(202);
    integration.close();
  }, 60_000);
});
