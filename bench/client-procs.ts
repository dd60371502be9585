/**
 * The client side of the bench as processes: the agents split over several worker
 * processes (one process holding 10,000 sockets can be the limit of a run rather than
 * the server it measures), and the CPU each client process used during a step, so that
 * a figure can be told to be the server's and not the harness's.
 */
import { sampleProcess, type ProcSample } from './proc.js';
import { summarise, type LatencySummary } from './stats.js';
import { startWorker, type Worker } from './worker.js';
import type { AgentsReport, AgentsSetup } from './workers/messages.js';

/** Agents per process when `--agent-procs` is not given: 2,000 agents stay one process, 10,000 are four. */
export const agentsPerProcess = 2500;

export const defaultAgentProcs = (agents: number): number => Math.max(1, Math.ceil(agents / agentsPerProcess));

/** The agents of one target, spread over `procs` worker processes that connect at the same time. */
export interface AgentProcs {
  readonly workers: readonly Worker[];
  readonly connected: number;
  /** How long connecting all of them took (they connect in parallel). */
  readonly ms: number;
  /** Every process's report for `step`, merged; `final` merges the latencies from the raw samples. */
  report(step: number, final?: boolean): Promise<AgentsReport>;
}

export async function startAgentProcs(url: string, agents: AgentsSetup['agents'], procs: number, connectConcurrency: number): Promise<AgentProcs> {
  const n = Math.max(1, Math.min(procs, agents.length || 1));
  const slices = Array.from({ length: n }, (_, i) => agents.slice(Math.floor((i * agents.length) / n), Math.floor(((i + 1) * agents.length) / n)));
  const started = await Promise.allSettled(
    slices.map((slice) => startWorker({ kind: 'agents', url, agents: slice, connectConcurrency: Math.max(1, Math.ceil(connectConcurrency / n)), rawLatencies: true }, 300_000)),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const w of workers) await w.stop().catch(() => undefined);
    throw failed.reason;
  }
  return {
    workers,
    connected: workers.reduce((sum, w) => sum + (w.ready.connected ?? 0), 0),
    ms: Math.max(0, ...workers.map((w) => w.ready.ms ?? 0)),
    async report(step, final = false) {
      const reports = await Promise.all(workers.map((w) => w.ask<AgentsReport>({ type: 'report', step, final: final && workers.length > 1 })));
      return mergeAgentReports(step, reports);
    },
  };
}

export function mergeAgentReports(step: number, reports: readonly AgentsReport[]): AgentsReport {
  const latencies = reports.flatMap((r) => r.latencies ?? []);
  const latency: LatencySummary = reports.length === 1 && reports[0] ? reports[0].latency : summarise(latencies);
  return {
    type: 'report',
    step,
    pops: reports.reduce((n, r) => n + r.pops, 0),
    duplicates: reports.reduce((n, r) => n + r.duplicates, 0),
    latency,
    events: reports.reduce((n, r) => n + r.events, 0),
    connected: reports.reduce((n, r) => n + r.connected, 0),
    disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
  };
}

/** CPU of the client processes over a step, in % of one core. */
export interface ClientCpu {
  /** All agents processes together, and the busiest one (at 100 it is the limit). */
  agents: number;
  agentsMaxProc: number;
  integrations: number;
  supervisor: number;
  source: number;
}

export type ClientGroups = Record<'agents' | 'integrations' | 'supervisor' | 'source', readonly Worker[]>;

/** Samples every client process now; `stop()` gives each group's CPU since. */
export function clientCpuMeter(groups: ClientGroups): { stop(): ClientCpu } {
  const before = new Map<number, ProcSample>();
  for (const list of Object.values(groups)) for (const w of list) {
    const s = sampleProcess(w.pid);
    if (s) before.set(w.pid, s);
  }
  const percent = (w: Worker): number => {
    const from = before.get(w.pid);
    const to = sampleProcess(w.pid);
    if (!from || !to) return 0;
    const wall = (to.at - from.at) / 1000;
    return wall > 0 ? ((to.cpuSeconds - from.cpuSeconds) / wall) * 100 : 0;
  };
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    stop() {
      const agents = groups.agents.map(percent);
      const sum = (list: readonly Worker[]): number => r1(list.reduce((n, w) => n + percent(w), 0));
      return {
        agents: r1(agents.reduce((a, b) => a + b, 0)),
        agentsMaxProc: r1(Math.max(0, ...agents)),
        integrations: sum(groups.integrations),
        supervisor: sum(groups.supervisor),
        source: sum(groups.source),
      };
    },
  };
}

/** CPU milliseconds a process spent per 1,000 events it was posted (accepted ones). */
export function cpuMsPer1000(from: ProcSample, to: ProcSample, events: number): number {
  if (events <= 0) return 0;
  return Math.round(((to.cpuSeconds - from.cpuSeconds) * 1e7) / events) / 10;
}
