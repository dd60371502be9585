/**
 * `npm run bench:reports`: how fast the reports answer over a million stored calls, on
 * SQLite and on PostgreSQL. Generates the calls once (a SQLite file under bench/data/, a
 * PostgreSQL schema named after the count) and reuses them on later runs, then times the
 * two reports the issue sets targets for: a day's per-hour queues report (< 200 ms) and a
 * 30-day total (< 1 s), through the same code as the HTTP route.
 *
 * Flags: --calls N (default 1,000,000), --days D over which they are spread (default 30),
 * --store sqlite|postgres|both (default both), --runs R (default 7), --regenerate.
 * PostgreSQL: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentReport, queueReport, type ReportOptions } from '@shuttle-cti/server';
import { createPostgresStore, createSqliteStore, type Store, type UnnumberedEvent } from '@shuttle-cti/store';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const calls = Number(flag('calls', '1000000'));
const days = Number(flag('days', '30'));
const which = flag('store', 'both');
const runs = Number(flag('runs', '7'));
const regenerate = args.includes('--regenerate');
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const timeZone = 'Europe/Rome';

const dayMs = 86_400_000;
/** The last generated day ends here (a fixed date: the same data on every run). */
const endMs = Date.parse('2026-03-01T00:00:00Z');
const startMs = endMs - days * dayMs;
const queues = Array.from({ length: 12 }, (_, i) => `Queue${String(i + 1).padStart(2, '0')}`);
const peers = Array.from({ length: 300 }, (_, i) => `SIP/agent${String(i + 1).padStart(3, '0')}`);

/** A small deterministic generator: the same calls on every run and machine. */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One call's stored events: most are rung once and answered (ringing, up, hangup), some
 * ring a second member first (ringend timeout), 8% abandon, 6% are outbound.
 */
function callEvents(n: number, rnd: () => number): UnnumberedEvent[] {
  const entered = startMs + Math.floor(rnd() * days * dayMs);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const peer = peers[Math.floor(rnd() * peers.length)] as string;
  const uniqueid = `b${n}`;
  const base = { agentname: `Agent ${peer.slice(4)}`, agentnum: peer.slice(4), peer, uniqueid, callernum: '3334445555', variables: {} };
  const r = rnd();
  if (r < 0.06) return [{ event: 'outbound', ...base, direction: 'outbound', extension: '0612345678', outbound: true, time: iso(entered) }];
  const queue = queues[Math.floor(rnd() * rnd() * queues.length)] as string;
  const q = { ...base, queue, direction: 'inbound' };
  const hold = Math.floor(rnd() * rnd() * 120);
  const events: UnnumberedEvent[] = [];
  if (rnd() < 0.2) {
    const other = peers[Math.floor(rnd() * peers.length)] as string;
    const o = { ...q, peer: other, agentname: `Agent ${other.slice(4)}` };
    events.push({ event: 'ringing', ...o, ringing: true, time: iso(entered + 1000) });
    events.push({ event: 'ringend', ...o, reason: 'timeout', ringend: true, time: iso(entered + 16_000) });
  }
  events.push({ event: 'ringing', ...q, ringing: true, time: iso(entered + Math.max(0, hold - 3) * 1000) });
  if (r < 0.14) {
    events.push({ event: 'abandon', queue, direction: 'unmanaged', uniqueid, callernum: '3334445555', holdtime: String(hold), unmanaged: true, variables: {}, time: iso(entered + hold * 1000) });
    return events;
  }
  const talk = 20 + Math.floor(rnd() * 600);
  const timing = { holdtime: String(hold), ringtime: '3' };
  events.push({ event: 'up', ...q, ...timing, up: true, time: iso(entered + hold * 1000) });
  events.push({ event: 'hangup', ...q, ...timing, talktime: String(talk), reason: 'caller', hangup: true, time: iso(entered + (hold + talk) * 1000) });
  return events;
}

/** Queue calls stored (answered or abandoned), read through the reports' own sums. */
async function countCalls(store: Store): Promise<number> {
  const slots = await store.queueSlots({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, slotMs: 0, sla: 0 });
  return slots.reduce((n, s) => n + s.answered + s.abandoned, 0);
}

async function generate(store: Store): Promise<void> {
  const rnd = random(16);
  const started = Date.now();
  let batch: UnnumberedEvent[] = [];
  for (let n = 0; n < calls; n++) {
    batch.push(...callEvents(n, rnd));
    if (batch.length >= 5000 || n === calls - 1) {
      // Events reach the store in time order within a batch, as the hub's ingest stores them.
      await store.appendEvents(batch.sort((a, b) => String(a.time).localeCompare(String(b.time))));
      batch = [];
    }
    if (n % 100_000 === 99_999) process.stdout.write(`  ${n + 1} calls stored (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
}

interface Timing {
  median: number;
  max: number;
  rows: number;
}

async function time(run: () => Promise<unknown[]>): Promise<Timing> {
  const ms: number[] = [];
  let rows = 0;
  await run(); // warm: the first run reads the pages from disk into the cache
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    rows = (await run()).length;
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)] ?? 0, max: ms.at(-1) ?? 0, rows };
}

async function benchStore(name: string, open: (fresh: boolean) => Promise<Store>): Promise<void> {
  let store = await open(regenerate);
  const queueCalls = await countCalls(store);
  if (queueCalls === 0) {
    process.stdout.write(`${name}: generating ${calls} calls over ${days} days…\n`);
    const started = Date.now();
    await generate(store);
    process.stdout.write(`${name}: generated in ${Math.round((Date.now() - started) / 1000)} s\n`);
    await store.close();
    store = await open(false);
  }
  process.stdout.write(`${name}: ${queueCalls || (await countCalls(store))} answered or abandoned queue calls stored\n`);
  const day = endMs - dayMs;
  const options = (fromMs: number, interval: ReportOptions['interval']): ReportOptions => ({ fromMs, toMs: endMs, interval, timeZone, sla: 20, nowMs: endMs });
  const results: [string, Timing, number][] = [
    ['queues, one day per hour', await time(() => queueReport(store, options(day, 'hour'))), 200],
    ['queues, 30 days total', await time(() => queueReport(store, options(endMs - 30 * dayMs, 'total'))), 1000],
    ['queues, 30 days per day', await time(() => queueReport(store, options(endMs - 30 * dayMs, 'day'))), Number.NaN],
    ['agents, one day per hour', await time(() => agentReport(store, options(day, 'hour'))), Number.NaN],
    ['agents, 30 days total', await time(() => agentReport(store, options(endMs - 30 * dayMs, 'total'))), Number.NaN],
  ];
  for (const [what, t, target] of results) {
    const verdict = Number.isNaN(target) ? '' : t.median < target ? `  (target < ${target} ms: met)` : `  (target < ${target} ms: MISSED)`;
    process.stdout.write(`  ${name.padEnd(10)} ${what.padEnd(26)} median ${t.median.toFixed(1).padStart(7)} ms, max ${t.max.toFixed(1).padStart(7)} ms, ${t.rows} rows${verdict}\n`);
  }
  await store.close();
}

const here = fileURLToPath(new URL('.', import.meta.url));
process.stdout.write(`reports bench: ${calls} calls over ${days} days, ${runs} runs each; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

if (which === 'sqlite' || which === 'both') {
  const dir = join(here, 'data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reports-${calls}-${days}.sqlite`);
  await benchStore('SQLite', async (fresh) => {
    if (fresh && existsSync(file)) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    const store = createSqliteStore({ file });
    await store.migrate();
    return store;
  });
}
if (which === 'postgres' || which === 'both') {
  const schema = `bench_reports_${calls}_${days}`;
  await benchStore('PostgreSQL', async (fresh) => {
    if (fresh) {
      const drop = createPostgresStore({ url: databaseUrl });
      await drop.close();
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    const store = createPostgresStore({ url: databaseUrl, schema });
    await store.migrate();
    return store;
  });
}
process.stdout.write(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
