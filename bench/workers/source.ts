import { Agent, request } from 'node:http';
import { benchPeers, createTraffic, type BenchEvent } from '../traffic.js';
import { clock, summarise } from '../stats.js';
import type { RunStep, SourceDone, SourceSetup } from './messages.js';

interface PostResult {
  ok: boolean;
  results: { ok: boolean; seq?: number }[];
}

/**
 * The PBX side: posts call events in batches at a set rate (open loop: the schedule does
 * not wait for answers), each stamped with the time it was sent and its step.
 */
export function createSource(setup: SourceSetup): { run(step: RunStep): Promise<SourceDone> } {
  const next = createTraffic(benchPeers(setup.agents), setup.seed);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL('/api/v1/events', setup.url);
  // Unique to this source process (each run has a fresh store anyway).
  const idPrefix = `bench:${process.pid}:${Date.now().toString(36)}:`;
  let ids = 0;
  const withId = (event: BenchEvent): BenchEvent => (setup.eventIds ? { ...event, eventid: `${idPrefix}${++ids}` } : event);

  function post(events: BenchEvent[]): Promise<PostResult> {
    const body = JSON.stringify(events);
    return new Promise((resolve) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${setup.token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { results?: PostResult['results'] };
              resolve({ ok: res.statusCode !== undefined && res.statusCode < 500, results: parsed.results ?? [] });
            } catch {
              resolve({ ok: false, results: [] });
            }
          });
          res.on('error', () => resolve({ ok: false, results: [] }));
        },
      );
      req.on('error', () => resolve({ ok: false, results: [] }));
      req.end(body);
    });
  }

  return {
    async run({ step, rate, durationMs, batchMs }) {
      const done: SourceDone = {
        type: 'done',
        step,
        posted: 0,
        accepted: 0,
        rejected: 0,
        failedRequests: 0,
        ups: 0,
        withPeer: 0,
        elapsedMs: 0,
        maxInFlight: 0,
        post: summarise([]),
      };
      const postTimes: number[] = [];
      const inFlight = new Set<Promise<void>>();
      const start = clock();
      const total = Math.round((rate * durationMs) / 1000);
      while (done.posted < total) {
        const due = Math.min(total, Math.floor((rate * (clock() - start)) / 1000));
        const count = Math.min(1000, due - done.posted);
        if (count > 0) {
          const sentAt = clock();
          const batch: BenchEvent[] = Array.from({ length: count }, () => withId({ ...next(), bench_t: sentAt, bench_step: step }));
          done.posted += count;
          const p = post(batch).then((result) => {
            postTimes.push(clock() - sentAt);
            if (!result.ok) done.failedRequests++;
            batch.forEach((event, i) => {
              const r = result.results[i];
              if (r?.ok && typeof r.seq === 'number') {
                done.accepted++;
                if (event['event'] === 'up') done.ups++;
                if (typeof event['peer'] === 'string') done.withPeer++;
              } else {
                done.rejected++;
              }
            });
          });
          inFlight.add(p);
          done.maxInFlight = Math.max(done.maxInFlight, inFlight.size);
          void p.finally(() => inFlight.delete(p));
        }
        await new Promise((r) => setTimeout(r, batchMs));
      }
      // The time it took to send, not to hear the last answer: achieved rate = posted / elapsed.
      done.elapsedMs = Math.round(clock() - start);
      await Promise.all(inFlight);
      done.post = summarise(postTimes);
      return done;
    },
  };
}
