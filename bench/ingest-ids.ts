/**
 * `npm run bench -- --ingest-ids`: what an `eventid` costs at ingest. One hub
 * (`shuttle-cti serve`, fresh SQLite data) takes the bench traffic over HTTP in batches
 * of 20, closed loop from 4 posters, in rounds that alternate events without ids, with
 * new ids, and repeats of ids already stored (answered `duplicate: true`); each round is
 * measured by the hub process's CPU time per 1,000 events and by events per second. The
 * variants alternate within one run, so their ratios hold on a busy machine even when
 * the absolute figures do not.
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { startHub } from './hub-target.js';
import { sampleProcess } from './proc.js';
import { median } from './stats.js';
import { benchPeers, createTraffic, type BenchEvent } from './traffic.js';

const batchSize = 20;
const posters = 4;

type Variant = 'no ids' | 'new ids' | 'repeats';

function post(url: URL, token: string, agent: Agent, events: BenchEvent[]): Promise<number> {
  const body = JSON.stringify(events);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runIngestIds(options: { rounds: number; eventsPerRound: number; log: (line: string) => void }): Promise<void> {
  const { log } = options;
  const hub = await startHub({ agents: 0, integrations: 1, profile: false, config: undefined });
  const agent = new Agent({ keepAlive: true, maxSockets: posters });
  const url = new URL('/api/v1/events', hub.url);
  const next = createTraffic(benchPeers(200), 1);
  let ids = 0;
  let lastIds: BenchEvent[][] = [];
  const results: Record<Variant, { cpuMsPer1000: number[]; perSecond: number[] }> = {
    'no ids': { cpuMsPer1000: [], perSecond: [] },
    'new ids': { cpuMsPer1000: [], perSecond: [] },
    repeats: { cpuMsPer1000: [], perSecond: [] },
  };
  const loadAtStart = loadavg();
  try {
    const round = async (variant: Variant): Promise<void> => {
      const batches: BenchEvent[][] =
        variant === 'repeats'
          ? lastIds
          : Array.from({ length: Math.ceil(options.eventsPerRound / batchSize) }, () =>
              Array.from({ length: batchSize }, () => (variant === 'new ids' ? { ...next(), eventid: `bench-ingest:${++ids}` } : next())),
            );
      if (variant === 'new ids') lastIds = batches;
      const queue = [...batches];
      const before = sampleProcess(hub.pid);
      const start = performance.now();
      await Promise.all(
        Array.from({ length: posters }, async () => {
          for (let batch = queue.shift(); batch; batch = queue.shift()) {
            const status = await post(url, hub.tokens.source, agent, batch);
            if (status !== 202) throw new Error(`hub answered ${status}`);
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      const after = sampleProcess(hub.pid);
      const events = batches.length * batchSize;
      if (before && after) results[variant].cpuMsPer1000.push(((after.cpuSeconds - before.cpuSeconds) * 1000 * 1000) / events);
      results[variant].perSecond.push(events / seconds);
    };
    // Warm-up, then the variants in alternating order, repeats always after the round that stored the ids.
    await round('no ids');
    for (const r of Object.values(results)) r.cpuMsPer1000.length = r.perSecond.length = 0;
    for (let i = 0; i < options.rounds; i++) {
      const order: Variant[] = i % 2 === 0 ? ['no ids', 'new ids', 'repeats'] : ['new ids', 'repeats', 'no ids'];
      for (const variant of order) await round(variant);
    }
  } finally {
    agent.destroy();
    await hub.stop();
  }
  const base = results['no ids'];
  log(`ingest with ids: ${options.rounds} rounds of ${options.eventsPerRound} events per variant, batches of ${batchSize}, ${posters} posters; load ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${loadavg().map((l) => l.toFixed(2)).join(' ')} at end`);
  log('variant   hub CPU ms/1000 events (median)   events/s (median)   CPU ratio   rate ratio');
  for (const [variant, r] of Object.entries(results) as Array<[Variant, (typeof results)[Variant]]>) {
    const cpu = median(r.cpuMsPer1000);
    const rate = median(r.perSecond);
    log(
      `${variant.padEnd(9)} ${cpu.toFixed(1).padStart(12)}${' '.repeat(22)}${rate.toFixed(0).padStart(10)}${' '.repeat(10)}${(cpu / median(base.cpuMsPer1000)).toFixed(2).padStart(6)}${(rate / median(base.perSecond)).toFixed(2).padStart(13)}`,
    );
  }
}
