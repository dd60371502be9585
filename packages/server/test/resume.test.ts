import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, nextEvent, record, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

let t: TestHub | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const ringingFor = async (n: number) => {
  const { ringing } = await seedEvents();
  return Array.from({ length: n }, (_, i) => ({ ...ringing, uniqueid: `resume-${i}`, callernum: String(i) }));
};

/** An integration that remembers the last seq it saw and resumes from it on every reconnect, like the SDK. */
function resumingClient(url: string, token: string, from: number): { socket: Socket; seqs: number[] } {
  const seqs: number[] = [];
  let last = from;
  const socket = record(
    ioClient(url, {
      auth: (cb) => cb({ token, lastSeq: last }),
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
    }),
  );
  socket.on('ringing', (e: { seq: number }) => {
    seqs.push(e.seq);
    last = e.seq;
  });
  return { socket, seqs };
}

describe('resume by seq', () => {
  it('replays every later event once, in order, then continues live with no gap at the seam', async () => {
    t = await startTestHub();
    const hub = t;
    const first = await hub.ingest(await ringingFor(1200));
    const firstSeq = first[0]?.ok ? first[0].seq : 0;
    const from = firstSeq + 99; // skip the first 100
    const { socket, seqs } = resumingClient(hub.url, hub.tokens.integration, from);
    // Keep ingesting while the replay is running, so live events race the replay.
    const live: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) live.push(hub.ingest(await ringingFor(10)));
    await Promise.all(live);
    const { last } = await hub.hub.store.seqRange();
    await until(() => seqs.length > 0 && seqs[seqs.length - 1] === last, 10_000, 'caught up');
    const expected = Array.from({ length: last - from }, (_, i) => from + 1 + i);
    expect(seqs).toEqual(expected);
    socket.close();
  });

  it('survives a hub restart: events accepted while the client was away arrive once, in order', async () => {
    t = await startTestHub();
    const hub = t;
    const { socket, seqs } = resumingClient(hub.url, hub.tokens.integration, 0);
    await nextEvent(socket, 'welcome');
    await hub.ingest(await ringingFor(10));
    await until(() => seqs.length === 10, 5000, 'first ten');
    await hub.restart();
    await hub.ingest(await ringingFor(10)); // may land before the client is back: it must be replayed
    await until(() => seqs.length >= 20, 10_000, 'twenty after restart');
    await hub.ingest(await ringingFor(5));
    await until(() => seqs.length >= 25, 5000, 'live after restart');
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    socket.close();
  });

  it('tells a client whose lastSeq is older than the retention window what it missed', async () => {
    t = await startTestHub();
    const hub = t;
    await hub.ingest(await ringingFor(5));
    const cutoff = new Date(Date.now() + 1000).toISOString();
    await hub.hub.store.pruneEventsBefore(cutoff); // everything stored so far is now "too old"
    await hub.ingest(await ringingFor(3));
    const socket = await connectClient(hub.url, '/', { token: hub.tokens.integration, lastSeq: 2 });
    expect(await nextEvent(socket, 'replay_truncated')).toEqual({ from: 3, to: 5 });
    const replayed = [await nextEvent<{ seq: number }>(socket, 'ringing'), await nextEvent<{ seq: number }>(socket, 'ringing')];
    expect(replayed.map((e) => e.seq)).toEqual([6, 7]);
    socket.close();
  });

  it('gives a supervisor that reconnects with lastSeq the events it missed', async () => {
    t = await startTestHub();
    const hub = t;
    await hub.ingest(await ringingFor(4));
    const sup = await connectClient(hub.url, '/supervisor', { token: hub.tokens.supervisor, lastSeq: 1 });
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push((await nextEvent<{ seq: number }>(sup, 'ringing')).seq);
    expect(seqs).toEqual([2, 3, 4]);
    sup.close();
  });
});
