import { Agent, request } from 'node:http';
import { benchPeers, createTraffic, type BenchEvent } from '../traffic.js';
import { clock, summarise } from '../stats.js';
import type { RunStep, SourceDone, SourceSetup } from './messages.js';

interface PostResult {
  ok: boolean;
  results: { ok: boolean; seq?: number }[];
  /** Set when the hub refused the request for overload (503 with Retry-After): ms to wait. */
  retryAfterMs?: number;
}

/** An event the PBX has produced and the hub has not accepted yet. */
interface Pending {
  event: BenchEvent;
  madeAt: number;
}

/**
 * The PBX side: makes call events at a set rate and posts them in batches (open loop: the
 * schedule does not wait for answers), each stamped with the time it was sent and its step.
 * An overloaded hub's refusal (503 with Retry-After) is honoured as a real source would: the
 * refused events go back to the front of the queue, nothing is posted until the wait is
 * over, then they are sent again (stamped anew: the latency measured is the hub's, from the
 * post it accepted), and the queue at up to twice the step's rate. Events made meanwhile wait in the queue; after the step's time the
 * queue is emptied, for at most as long again, and what is left is reported as unsent.
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
              const retry = res.statusCode === 503 ? Number(res.headers['retry-after']) : NaN;
              if (Number.isFinite(retry)) resolve({ ok: false, results: [], retryAfterMs: retry * 1000 });
              else resolve({ ok: res.statusCode !== undefined && res.statusCode < 500, results: parsed.results ?? [] });
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
        refused: 0,
        refusals: 0,
        unsent: 0,
        failedRequests: 0,
        ups: 0,
        withPeer: 0,
        elapsedMs: 0,
        maxInFlight: 0,
        post: summarise([]),
        sourceWait: summarise([]),
      };
      const postTimes: number[] = [];
      const waits: number[] = [];
      const inFlight = new Set<Promise<void>>();
      const queue: Pending[] = [];
      let holdUntil = 0;
      const start = clock();
      const total = Math.round((rate * durationMs) / 1000);
      const giveUpAt = start + 2 * durationMs;
      let lastPostAt = start;
      while (done.posted < total || ((queue.length > 0 || inFlight.size > 0) && clock() < giveUpAt)) {
        const now = clock();
        const due = Math.min(total, Math.floor((rate * (now - start)) / 1000));
        for (; done.posted < due; done.posted++) queue.push({ event: next(), madeAt: now });
        if (done.posted >= total && done.elapsedMs === 0) done.elapsedMs = Math.round(now - start);
        // After a wait the queue is sent at up to twice the step's rate, not all at once.
        const catchUp = Math.max(1, Math.ceil((2 * rate * (now - lastPostAt)) / 1000));
        const count = now >= holdUntil ? Math.min(1000, queue.length, catchUp) : 0;
        if (count > 0) {
          const sentAt = clock();
          lastPostAt = sentAt;
          const taken = queue.splice(0, count);
          const batch: BenchEvent[] = taken.map((p) => withId({ ...p.event, bench_t: sentAt, bench_step: step }));
          const p = post(batch).then((result) => {
            postTimes.push(clock() - sentAt);
            if (result.retryAfterMs !== undefined) {
              // Refused whole, for overload: kept, in order, and sent again after the wait.
              done.refused += taken.length;
              done.refusals++;
              queue.unshift(...taken);
              holdUntil = Math.max(holdUntil, clock() + result.retryAfterMs);
              return;
            }
            if (!result.ok) done.failedRequests++;
            batch.forEach((event, i) => {
              const r = result.results[i];
              if (r?.ok && typeof r.seq === 'number') {
                done.accepted++;
                waits.push(sentAt - (taken[i]?.madeAt ?? sentAt));
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
      // The time it took to make the step's events, not to hear the last answer: achieved rate = posted / elapsed.
      if (done.elapsedMs === 0) done.elapsedMs = Math.round(clock() - start);
      await Promise.all(inFlight);
      done.unsent = queue.length;
      done.sourceWait = summarise(waits);
      done.post = summarise(postTimes);
      return done;
    },
  };
}
