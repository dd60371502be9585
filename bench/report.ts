import type { PhaseResult, StepResult } from './phase.js';

export interface Summary {
  maxRate: number;
  p99Ms: number;
  lost: number;
  baselineRatio: number | null;
  rssPerAgentKib: number;
  agents: number;
  /** CPU milliseconds per 1,000 events at that rate, the hub's and the relay's, and their ratio. */
  hubCpuMsPer1000: number | null;
  relayCpuMsPer1000: number | null;
  cpuRatio: number | null;
  /** The busiest agents process at that rate (% of one core): near 100 the harness, not the hub, is the limit. */
  agentsProcMaxCpu: number | null;
  /** Events the hub refused for overload over the whole run (503 with Retry-After; sent again by the source). */
  refused: number;
  /** `--scoped-supervisors`: how many were connected to the hub (0: none). */
  scopedSupervisors: number;
  /** Extra supervisors connected (`--scoped-supervisors` + `--unscoped-supervisors`). */
  extraSupervisors: number;
}

/**
 * The figures of the summary line: the highest rate that passed (p99 within the target,
 * nothing lost, the rate actually reached), its p99, everything lost over the whole hub
 * run, and our p99 over the bare relay's at that rate.
 */
export function summarise(hub: PhaseResult, relay: PhaseResult | undefined): Summary {
  const passed = hub.steps.filter((s) => s.pass);
  const best = passed.reduce<StepResult | undefined>((b, s) => (!b || s.rate > b.rate ? s : b), undefined);
  const at = best ?? hub.steps[0];
  const bare = at ? relay?.steps.find((s) => s.rate === at.rate) : undefined;
  return {
    maxRate: best?.rate ?? 0,
    p99Ms: at?.pop.p99 ?? 0,
    lost: hub.steps.reduce((n, s) => n + s.popsLost + s.eventsLost, 0),
    baselineRatio: at && bare && bare.pop.p99 > 0 ? Math.round((at.pop.p99 / bare.pop.p99) * 100) / 100 : null,
    rssPerAgentKib: hub.rssPerAgentKib,
    agents: hub.agentsConnected,
    hubCpuMsPer1000: at?.cpuMsPer1000 ?? null,
    relayCpuMsPer1000: bare?.cpuMsPer1000 ?? null,
    cpuRatio: at && bare && bare.cpuMsPer1000 > 0 ? Math.round((at.cpuMsPer1000 / bare.cpuMsPer1000) * 100) / 100 : null,
    agentsProcMaxCpu: at?.clientCpu?.agentsMaxProc ?? null,
    refused: hub.steps.reduce((n, s) => n + (s.refused ?? 0), 0),
    scopedSupervisors: at?.scoped?.scoped ?? 0,
    extraSupervisors: at?.scoped?.supervisors ?? 0,
  };
}

export function summaryLine(s: Summary): string {
  return `bench: max_rate=${s.maxRate} p99_ms=${s.p99Ms} lost=${s.lost} baseline_ratio=${s.baselineRatio ?? 'n/a'} rss_per_agent_kib=${s.rssPerAgentKib} agents=${s.agents}` +
    // Added fields go at the end: scripts reading the first ones keep working.
    ` hub_cpu_ms_per_1k=${s.hubCpuMsPer1000 ?? 'n/a'} relay_cpu_ms_per_1k=${s.relayCpuMsPer1000 ?? 'n/a'} cpu_ratio=${s.cpuRatio ?? 'n/a'} agents_proc_max_cpu=${s.agentsProcMaxCpu ?? 'n/a'} refused=${s.refused} scoped_supervisors=${s.scopedSupervisors} extra_supervisors=${s.extraSupervisors}`;
}

const pad = (cells: (string | number)[], widths: number[]): string => cells.map((c, i) => String(c).padStart(widths[i] ?? 0)).join('  ');

/** One row per step and target, with the relay's p50/p99 beside ours. */
export function table(hub: PhaseResult, relay: PhaseResult | undefined): string {
  const header = ['target', 'rate/s', 'sent/s', 'pops', 'lost', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ev p99', 'cpu %', 'stall ms', 'rss MiB', 'load', 'ratio p50', 'ratio p99', 'ms/1k ev', 'ratio cpu', 'agents %', 'clients %', 'accepted', 'refused', 'unsent', 'pass'];
  const rows: (string | number)[][] = [];
  for (const phase of [hub, relay]) {
    if (!phase) continue;
    for (const s of phase.steps) {
      const bare = phase === hub ? relay?.steps.find((r) => r.rate === s.rate) : undefined;
      const ratio = (ours: number, theirs: number | undefined): string => (theirs && theirs > 0 ? (ours / theirs).toFixed(2) : '-');
      rows.push([
        phase.target,
        s.rate,
        s.achievedRate,
        `${s.pops}/${s.popsExpected}`,
        s.popsLost + s.eventsLost,
        s.pop.p50,
        s.pop.p95,
        s.pop.p99,
        s.pop.max,
        s.event.p99,
        s.cpuPercent,
        s.loopDelayMax,
        Math.round(s.peakRssKib / 1024),
        s.load1,
        ratio(s.pop.p50, bare?.pop.p50),
        ratio(s.pop.p99, bare?.pop.p99),
        s.cpuMsPer1000,
        ratio(s.cpuMsPer1000, bare?.cpuMsPer1000),
        // The agents processes together / the busiest one.
        `${s.clientCpu.agents}/${s.clientCpu.agentsMaxProc}`,
        Math.round((s.clientCpu.agents + s.clientCpu.integrations + s.clientCpu.supervisor + s.clientCpu.source) * 10) / 10,
        s.accepted,
        (s.refused ?? 0) + s.rejected,
        s.unsent ?? 0,
        phase === hub ? (s.pass ? 'yes' : 'NO') : '',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const memory = [hub, relay]
    .filter((p): p is PhaseResult => p !== undefined)
    .map((p) => `${p.target}: ${p.agentsConnected} agents connected in ${p.connectMs} ms (${p.agentProcs} processes), RSS ${Math.round(p.rssIdleKib / 1024)} → ${Math.round(p.rssConnectedKib / 1024)} MiB = ${p.rssPerAgentKib} KiB per agent`);
  return [pad(header, widths), ...rows.map((r) => pad(r, widths)), '', ...memory].join('\n');
}
