import { loadavg } from 'node:os';
import type { Target } from './child.js';
import type { BenchFlags } from './flags.js';
import { clientCpuMeter, cpuMsPer1000, startAgentProcs, type ClientCpu } from './client-procs.js';
import { cpuPercent, sampleProcess, type ProcSample } from './proc.js';
import type { LatencySummary } from './stats.js';
import { startWorker, type Worker } from './worker.js';
import type { AgentsReport, ListenerReport, SourceDone, SupervisorsReport } from './workers/messages.js';

export interface StepResult {
  rate: number;
  /** Which round of the ladder (`--rounds`) this step belongs to. */
  round?: number;
  achievedRate: number;
  posted: number;
  accepted: number;
  /** Events the server refused (a refused event is not lost: the source knows). */
  rejected: number;
  /** Events refused for overload (503 with Retry-After) and sent again after the wait (one event may count more than once), the number of such refusals, and events never accepted before the source gave up. */
  refused?: number;
  refusals?: number;
  unsent?: number;
  /** Time an accepted event waited in the source before the post the hub accepted. */
  sourceWait?: LatencySummary;
  failedRequests: number;
  /** Screen pops expected (accepted `up` × integrations), received, lost, and repeats. */
  popsExpected: number;
  pops: number;
  popsLost: number;
  popDuplicates: number;
  wakeupsFailed: number;
  /** Call event deliveries expected (to each integration, the supervisor, and the agent of the peer), received, lost. */
  eventsExpected: number;
  eventsReceived: number;
  eventsLost: number;
  eventDuplicates: number;
  /** Event sent → screen pop shown by the agent. */
  pop: LatencySummary;
  /** Event sent → event received by an integration (the slowest integration's figures). */
  event: LatencySummary;
  /** Time to the HTTP answer of a batch. */
  post: LatencySummary;
  cpuPercent: number;
  /** The server's CPU milliseconds per 1,000 accepted events over the step. */
  cpuMsPer1000: number;
  /** The client processes' CPU over the step (% of one core): a busy client limits the figures, not the server. */
  clientCpu: ClientCpu;
  /** The server's event-loop delay during the step: worst per-second p99, and the longest stall. */
  loopDelayP99: number;
  loopDelayMax: number;
  peakRssKib: number;
  load1: number;
  /** `--scoped-supervisors` / `--unscoped-supervisors`: how many (and how many scoped), the call events they got together, and any outside their scopes (must be 0). */
  scoped?: { supervisors: number; scoped: number; events: number; outside: number };
  pass: boolean;
}

export interface PhaseResult {
  target: 'hub' | 'relay';
  agents: number;
  agentsConnected: number;
  /** How many processes the agents were spread over. */
  agentProcs: number;
  connectMs: number;
  rssIdleKib: number;
  rssConnectedKib: number;
  rssPerAgentKib: number;
  /** One step per rate: with several rounds, the round with the median p99 at that rate. */
  steps: StepResult[];
  /** Every step of every round, in the order they ran. */
  rounds?: StepResult[];
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory once it has stopped moving much (after a burst of connections). */
async function settledRss(pid: number): Promise<number> {
  let last = sampleProcess(pid)?.rssKib ?? 0;
  for (let i = 0; i < 20; i++) {
    await settle(250);
    const now = sampleProcess(pid)?.rssKib ?? 0;
    if (Math.abs(now - last) < 256) return now;
    last = now;
  }
  return last;
}

/** A target with its clients connected and warmed up, ready to run steps. */
export interface ConnectedTarget {
  readonly name: Target['name'];
  /** What connecting measured (no steps yet). */
  readonly phase: Omit<PhaseResult, 'steps' | 'rounds'>;
  /** Runs one step at `rate` events/s and collects what every client saw. */
  runStep(step: number, rate: number): Promise<StepResult>;
  close(): Promise<void>;
}

/** Connects the agents, integrations, supervisor and source to `target`, then warms it up. */
export async function connectTarget(target: Target, flags: BenchFlags, log: (line: string) => void): Promise<ConnectedTarget> {
  const workers: Worker[] = [];
  const close = async (): Promise<void> => {
    for (const w of workers.reverse()) await w.stop().catch(() => undefined);
  };
  try {
    const rssIdleKib = await settledRss(target.pid);
    log(`${target.name}: connecting ${flags.agents} agents from ${Math.min(flags.agentProcs, flags.agents)} processes`);
    const agents = await startAgentProcs(target.url, target.tokens.agents, flags.agentProcs, 50);
    workers.push(...agents.workers);
    const listeners: Worker[] = [];
    for (const [index, token] of target.tokens.integrations.entries()) {
      listeners.push(await startWorker({ kind: 'listener', url: target.url, namespace: '/', token, answerUps: true, index }));
    }
    const supervisor = await startWorker({ kind: 'listener', url: target.url, namespace: '/supervisor', token: target.tokens.supervisor, answerUps: false, index: -1 });
    listeners.push(supervisor);
    workers.push(...listeners);
    const scopedTokens = target.tokens.scopedSupervisors ?? [];
    const scoped = scopedTokens.length > 0 ? await startWorker({ kind: 'supervisors', url: target.url, supervisors: scopedTokens }) : undefined;
    if (scoped) {
      workers.push(scoped);
      log(`${target.name}: ${scopedTokens.length} extra supervisors connected (${scopedTokens.filter((t) => t.queue !== '').length} scoped)`);
    }
    const source = await startWorker({ kind: 'source', url: target.url, token: target.tokens.source, agents: flags.agents, seed: flags.seed, eventIds: flags.eventIds });
    workers.push(source);
    const connected = agents.connected;
    const rssConnectedKib = await settledRss(target.pid);
    const perAgent = Math.round(((rssConnectedKib - rssIdleKib) / Math.max(1, connected)) * 10) / 10;
    log(`${target.name}: ${connected} agents connected in ${agents.ms} ms; RSS ${rssIdleKib} → ${rssConnectedKib} KiB (${perAgent} KiB per agent)`);

    // Warm-up (step 0, not reported): JIT, connection pools, SQLite pages.
    await source.ask<SourceDone>({ type: 'run', step: 0, rate: flags.warmupRate, durationMs: flags.warmupMs, batchMs: flags.batchMs }, flags.warmupMs + 60_000);

    const runStep = async (step: number, rate: number): Promise<StepResult> => {
      const stepStart = Date.now();
      const before = sampleProcess(target.pid) as ProcSample;
      const clients = clientCpuMeter({ agents: agents.workers, integrations: listeners.slice(0, -1), supervisor: [supervisor], source: [source] });
      let peak = before.rssKib;
      const sampler = setInterval(() => {
        peak = Math.max(peak, sampleProcess(target.pid)?.rssKib ?? 0);
      }, 250);
      const done = await source.ask<SourceDone>({ type: 'run', step, rate, durationMs: flags.stepMs, batchMs: flags.batchMs }, flags.stepMs + 120_000);
      const after = sampleProcess(target.pid) as ProcSample;
      const clientCpu = clients.stop();
      const delay = target.loopDelay(stepStart);
      const load1 = loadavg()[0] ?? 0;
      const expectedPops = done.ups * target.tokens.integrations.length;
      const expectedEvents = done.accepted * listeners.length + done.withPeer;
      let agentReport: AgentsReport;
      let listenerReports: ListenerReport[];
      const deadline = performance.now() + flags.drainMs;
      for (;;) {
        agentReport = await agents.report(step);
        listenerReports = [];
        for (const l of listeners) listenerReports.push(await l.ask<ListenerReport>({ type: 'report', step }));
        const received = listenerReports.reduce((n, r) => n + r.events, 0) + agentReport.events;
        const answered = listenerReports.reduce((n, r) => n + r.wakeupsOk + r.wakeupsFailed, 0);
        const wakeups = listenerReports.reduce((n, r) => n + r.wakeupsSent, 0);
        if ((agentReport.pops >= expectedPops && received >= expectedEvents && answered >= wakeups) || performance.now() > deadline) break;
        await settle(200);
      }
      clearInterval(sampler);
      agentReport = await agents.report(step, true);
      const scopedReport = scoped ? await scoped.ask<SupervisorsReport>({ type: 'report', step }) : undefined;
      const integrationReports = listenerReports.slice(0, -1);
      const eventsReceived = listenerReports.reduce((n, r) => n + r.events, 0) + agentReport.events;
      const slowest = integrationReports.reduce((worst, r) => (r.latency.p99 > worst.p99 ? r.latency : worst), integrationReports[0]?.latency ?? agentReport.latency);
      const achievedRate = Math.round((done.posted / Math.max(1, done.elapsedMs)) * 1000);
      const result: StepResult = {
        rate,
        achievedRate,
        posted: done.posted,
        accepted: done.accepted,
        rejected: done.rejected,
        refused: done.refused,
        refusals: done.refusals,
        unsent: done.unsent,
        sourceWait: done.sourceWait,
        failedRequests: done.failedRequests,
        popsExpected: expectedPops,
        pops: agentReport.pops,
        popsLost: Math.max(0, expectedPops - agentReport.pops),
        popDuplicates: agentReport.duplicates,
        wakeupsFailed: integrationReports.reduce((n, r) => n + r.wakeupsFailed, 0),
        eventsExpected: expectedEvents,
        eventsReceived,
        eventsLost: Math.max(0, expectedEvents - eventsReceived),
        eventDuplicates: listenerReports.reduce((n, r) => n + r.duplicates, 0),
        pop: agentReport.latency,
        event: slowest,
        post: done.post,
        cpuPercent: cpuPercent(before, after),
        cpuMsPer1000: cpuMsPer1000(before, after, done.accepted),
        clientCpu,
        loopDelayP99: delay.p99,
        loopDelayMax: delay.max,
        peakRssKib: peak,
        load1: Math.round(load1 * 100) / 100,
        ...(scopedReport ? { scoped: { supervisors: scopedTokens.length, scoped: scopedTokens.filter((t) => t.queue !== '').length, events: scopedReport.events, outside: scopedReport.outside } } : {}),
        pass: false,
      };
      result.pass =
        result.popsLost === 0 &&
        result.eventsLost === 0 &&
        result.rejected === 0 &&
        done.refused === 0 &&
        done.unsent === 0 &&
        result.failedRequests === 0 &&
        result.pop.count > 0 &&
        result.pop.p99 <= flags.maxP99Ms &&
        achievedRate >= rate * 0.95 &&
        (result.scoped?.outside ?? 0) === 0;
      if (result.scoped) log(`${target.name} ${rate}/s: ${result.scoped.supervisors} extra supervisors got ${result.scoped.events} events, ${result.scoped.outside} outside their scopes`);
      log(
        `${target.name} ${rate}/s: sent ${achievedRate}/s, pops ${result.pops}/${expectedPops} p50 ${result.pop.p50} p99 ${result.pop.p99} max ${result.pop.max} ms, ` +
          `events lost ${result.eventsLost}${result.rejected > 0 ? `, rejected ${result.rejected}` : ''}` +
          `${done.refused > 0 ? `, accepted ${done.accepted}, refused for overload ${done.refused} (${done.refusals} requests; waited in the source p50 ${done.sourceWait.p50} max ${done.sourceWait.max} ms), unsent ${done.unsent}` : ''}, CPU ${result.cpuPercent}% (${result.cpuMsPer1000} ms per 1,000 events; ` +
          `agents ${clientCpu.agents}%, busiest agents process ${clientCpu.agentsMaxProc}%, integrations ${clientCpu.integrations}%, source ${clientCpu.source}%), loop delay max ${result.loopDelayMax} ms, RSS ${Math.round(peak / 1024)} MiB${result.pass ? '' : '  ← FAIL'}`,
      );
      return result;
    };

    return {
      name: target.name,
      phase: {
        target: target.name,
        agents: flags.agents,
        agentsConnected: connected,
        agentProcs: agents.workers.length,
        connectMs: agents.ms,
        rssIdleKib,
        rssConnectedKib,
        rssPerAgentKib: perAgent,
      },
      runStep,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A step that shows the target cannot keep up: climbing further would only measure the backlog. */
export function saturated(result: StepResult, flags: BenchFlags): boolean {
  return !result.pass && (result.popsLost > 0 || result.eventsLost > 0 || result.pop.p99 > flags.maxP99Ms * 10 || result.achievedRate < result.rate * 0.8);
}

/**
 * One step per rate, in rate order: the step whose pop p99 is the median of that rate's
 * rounds (the lower of the two middle ones for an even count). A single stall of a shared
 * machine decides a step's p99; the median of a few rounds is what the target does.
 */
export function medianSteps(steps: readonly StepResult[]): StepResult[] {
  const byRate = new Map<number, StepResult[]>();
  for (const s of steps) byRate.set(s.rate, [...(byRate.get(s.rate) ?? []), s]);
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, list]) => {
      const sorted = [...list].sort((a, b) => a.pop.p99 - b.pop.p99);
      return sorted[Math.floor((sorted.length - 1) / 2)] as StepResult;
    });
}
