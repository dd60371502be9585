/**
 * `npx tsx bench/store-append.ts`: the CPU the SQLite store spends per call event, without
 * a hub around it. A fresh store (the store's own factory, a temp data dir, its background
 * checkpointer) takes the bench traffic as the hub gives it: batches of 20 events (what
 * the bench source posts every 20 ms at 1,000 events/s), each event with the hub's `time`
 * and `variables`, a `getVariables` for the first event of each call (the hub caches them
 * until its hangup or abandon), one `appendEvents` per batch, and per `up` and integration
 * a screen pop's outbox `enqueue` and its agent's `acknowledge`, each awaited on its own as
 * they arrive one socket message at a time. The events of a round are made before it is
 * timed; a round is measured by process.cpuUsage (every thread: the checkpointer's too).
 *
 * `--against <git ref>` runs the store of that commit too, in the same process, its rounds
 * alternating with this tree's, so a ratio holds on a busy machine.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Store, UnnumberedEvent } from '@shuttle-cti/store';
import { median } from './stats.js';
import { benchPeers, createTraffic } from './traffic.js';

const root = fileURLToPath(new URL('..', import.meta.url));

type CreateStore = (options: { dataDir: string }) => Store;

interface Step {
  /** The getVariables the hub makes before this batch (first events of calls). */
  lookups: string[];
  events: UnnumberedEvent[];
  /** Screen pops of the batch's `up`s: outbox item and the peer that acknowledges it. */
  pops: { item: Parameters<Store['enqueue']>[0]; peer: string }[];
}

/** The batches of `count` events from `next`, stamped with a clock that runs at `rate` events/s. */
function makeSteps(next: () => Record<string, unknown>, count: number, batch: number, rate: number, integrations: number, startMs: number, known: Set<string>): Step[] {
  const steps: Step[] = [];
  let made = 0;
  while (made < count) {
    const at = new Date(startMs + (made / rate) * 1000).toISOString();
    const step: Step = { lookups: [], events: [], pops: [] };
    for (let i = 0; i < batch; i++, made++) {
      const source = next();
      const uniqueid = String(source['uniqueid']);
      if (!known.has(uniqueid)) {
        known.add(uniqueid);
        step.lookups.push(uniqueid);
      }
      if (source['event'] === 'hangup' || source['event'] === 'abandon') known.delete(uniqueid);
      step.events.push({ ...source, time: at, variables: {} } as unknown as UnnumberedEvent);
      if (source['event'] !== 'up') continue;
      const peer = String(source['peer']);
      for (let n = 0; n < integrations; n++) {
        // As the router names a command sent without an id.
        const id = randomUUID();
        const payload = { id, url: `https://crm.example.com/calls/${uniqueid}`, mode: 'new_frame', peer, time: at };
        const expiresAt = new Date(Date.parse(at) + 60_000).toISOString();
        step.pops.push({ item: { id, peer, kind: 'AgentCTI', payload, createdAt: at, expiresAt } as Parameters<Store['enqueue']>[0], peer });
      }
    }
    steps.push(step);
  }
  return steps;
}

async function feed(store: Store, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    for (const uniqueid of step.lookups) await store.getVariables(uniqueid);
    await store.appendEvents(step.events);
    for (const pop of step.pops) await store.enqueue(pop.item);
    for (const pop of step.pops) await store.acknowledge(pop.item.id, pop.peer);
  }
}

/** CPU µs per event of one round on a fresh store (after `warmup` untimed events). */
async function round(createStore: CreateStore, flags: Flags, seed: number): Promise<{ cpuUs: number; wallUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'store-append-'));
  const store = createStore({ dataDir: dir });
  try {
    await store.migrate();
    const next = createTraffic(benchPeers(flags.peers), seed);
    const known = new Set<string>();
    const start = Date.now();
    await feed(store, makeSteps(next, flags.warmup, flags.batch, flags.rate, flags.integrations, start, known));
    const steps = makeSteps(next, flags.events, flags.batch, flags.rate, flags.integrations, start + (flags.warmup / flags.rate) * 1000, known);
    const events = steps.reduce((n, s) => n + s.events.length, 0);
    const cpu = process.cpuUsage();
    const wall = performance.now();
    await feed(store, steps);
    const used = process.cpuUsage(cpu);
    return { cpuUs: (used.user + used.system) / events, wallUs: ((performance.now() - wall) * 1000) / events };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The store package of `ref`, unpacked beside this tree's node_modules, and its factory. */
async function storeAt(ref: string): Promise<{ createStore: CreateStore; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'store-append-ref-'));
  const archive = execFileSync('git', ['archive', ref, 'packages/store/src'], { cwd: root, maxBuffer: 64 << 20 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const mod = (await import(pathToFileURL(join(dir, 'packages/store/src/create-store.ts')).href)) as { createStore: CreateStore };
  return { createStore: mod.createStore, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

interface Flags {
  peers: number;
  events: number;
  warmup: number;
  rounds: number;
  batch: number;
  rate: number;
  integrations: number;
  against: string | undefined;
}

function parseFlags(): Flags {
  const { values } = parseArgs({
    options: {
      peers: { type: 'string', default: '10000' },
      events: { type: 'string', default: '50000' },
      warmup: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '5' },
      batch: { type: 'string', default: '20' },
      rate: { type: 'string', default: '1000' },
      integrations: { type: 'string', default: '2' },
      against: { type: 'string' },
    },
  });
  const int = (name: keyof typeof values, min: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got ${String(values[name])}`);
    return n;
  };
  return {
    peers: int('peers', 1),
    events: int('events', 1),
    warmup: int('warmup', 0),
    rounds: int('rounds', 1),
    batch: int('batch', 1),
    rate: int('rate', 1),
    integrations: int('integrations', 0),
    against: values.against,
  };
}

async function main(): Promise<void> {
  const flags = parseFlags();
  const here = await import('../packages/store/src/create-store.js');
  const other = flags.against === undefined ? undefined : await storeAt(flags.against);
  const variants: { name: string; createStore: CreateStore; cpu: number[]; wall: number[] }[] = [
    ...(other ? [{ name: flags.against ?? '', createStore: other.createStore, cpu: [], wall: [] }] : []),
    { name: 'this tree', createStore: here.createStore, cpu: [], wall: [] },
  ];
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`store-append: ${flags.peers} peers, ${flags.events} events a round after ${flags.warmup} untimed, batches of ${flags.batch}, ${flags.integrations} pops per up; load ${load()}`);
  try {
    for (let r = 0; r < flags.rounds; r++) {
      // The variants take turns going first, so neither always runs on a warmer process.
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const { cpuUs, wallUs } = await round(v.createStore, flags, r + 1);
        v.cpu.push(cpuUs);
        v.wall.push(wallUs);
        console.log(`  round ${r + 1} ${v.name}: ${cpuUs.toFixed(1)} µs CPU/event, ${wallUs.toFixed(1)} µs wall/event`);
      }
    }
  } finally {
    other?.cleanup();
  }
  for (const v of variants) {
    console.log(`${v.name}: median ${median(v.cpu).toFixed(1)} µs CPU/event (${median(v.wall).toFixed(1)} wall) over ${flags.rounds} rounds`);
  }
  const [a, b] = variants;
  if (a && b && variants.length === 2) {
    const ratios = a.cpu.map((x, i) => (b.cpu[i] as number) / x);
    console.log(`this tree / ${a.name}: ${median(ratios).toFixed(3)} (median of the rounds' ratios)`);
  }
  console.log(`load at end ${load()}`);
}

await main();
