/**
 * `npm run bench`: sizes a deployment. Starts the hub (`shuttle-cti serve`) and a bare
 * socket.io relay, each as its own process, drives each with the same agents,
 * integrations, supervisor and source at stepped rates (each rate against both, one
 * right after the other), and reports screen-pop latency, losses, CPU and memory.
 * See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseFlags, usage, type BenchFlags } from './flags.js';
import { runIngestIds } from './ingest-ids.js';
import { checkBuilt, profileDir, startHub } from './hub-target.js';
import { connectTarget, medianSteps, saturated, type ConnectedTarget, type PhaseResult, type StepResult } from './phase.js';
import { newestProfile, profileTop } from './profile-summary.js';
import { startRelay } from './relay-target.js';
import { summarise, summaryLine, table } from './report.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * Each agent is one socket in the agents process and one in the hub: both need a file
 * descriptor per agent. Node raises its own soft limit to the hard limit when it starts
 * (so \`ulimit -n\` in a shell may show less than a Node process gets); what a child
 * shell of this process reports is what the bench's processes have.
 */
function checkFileLimit(agents: number): number {
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  const needed = agents + 256;
  if (Number.isFinite(limit) && limit < needed) {
    throw new Error(
      `${agents} agents need about ${needed} open files in the agents process and in the hub, but Node gets only ${limit} here ` +
        `(the hard limit): raise it (nofile in /etc/security/limits.conf, LimitNOFILE= for a systemd service, or \`ulimit -Hn ${needed}\` as root), ` +
        `or use --agents ${Math.max(1, limit - 256)}.`,
    );
  }
  return limit;
}

async function main(flags: BenchFlags): Promise<void> {
  checkBuilt();
  const fileLimit = checkFileLimit(flags.agents);
  const startedAt = new Date();
  const loadAtStart = loadavg();
  log(`bench: ${flags.agents} agents, ${flags.integrations} integrations, rates ${flags.rates.join(', ')}/s, ${flags.stepMs / 1000} s steps; load ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`);

  // Both targets are up, with their clients connected, for the whole run, and each rate is
  // run against one then the other (alternating which goes first): the two figures of a
  // ratio are measured a few seconds apart, under the same conditions on a shared machine.
  const started: { stop(): Promise<void> }[] = [];
  const connected: ConnectedTarget[] = [];
  let hub: PhaseResult | undefined;
  let relay: PhaseResult | undefined;
  try {
    const hubTarget = await startHub({ agents: flags.agents, integrations: flags.integrations, profile: flags.profile, config: flags.hubConfig, scopedSupervisors: flags.scopedSupervisors, unscopedSupervisors: flags.unscopedSupervisors, webhooks: flags.webhooks });
    started.push(hubTarget);
    const hubClients = await connectTarget(hubTarget, flags, log);
    connected.push(hubClients);
    let relayClients: ConnectedTarget | undefined;
    if (flags.baseline) {
      const relayTarget = await startRelay({ agents: flags.agents, integrations: flags.integrations });
      started.push(relayTarget);
      relayClients = await connectTarget(relayTarget, flags, log);
      connected.push(relayClients);
    }
    const hubRounds: StepResult[] = [];
    const relayRounds: StepResult[] = [];
    // All rounds of a rate run before the next rate, so a rate past the hub's capacity
    // (which leaves a backlog and a larger heap behind it) runs last and disturbs no other
    // rate's figures.
    let step = 0;
    for (const [i, rate] of flags.rates.entries()) {
      const hubSteps: StepResult[] = [];
      for (let round = 1; round <= flags.rounds; round++) {
        step++;
        const order = relayClients ? ((i + round) % 2 === 1 ? ['hub', 'relay'] : ['relay', 'hub']) : ['hub'];
        for (const which of order) {
          if (which === 'hub') hubSteps.push({ ...(await hubClients.runStep(step, rate)), round });
          else if (relayClients) relayRounds.push({ ...(await relayClients.runStep(step, rate)), round });
        }
      }
      hubRounds.push(...hubSteps);
      const [median] = medianSteps(hubSteps);
      if (median && saturated(median, flags) && !flags.keepGoing) break;
    }
    hub = { ...hubClients.phase, steps: medianSteps(hubRounds), rounds: hubRounds };
    relay = relayClients ? { ...relayClients.phase, steps: medianSteps(relayRounds), rounds: relayRounds } : undefined;
  } finally {
    for (const c of connected.reverse()) await c.close();
    for (const t of started.reverse()) await t.stop();
  }

  if (!hub) throw new Error('the hub was not measured');
  const summary = summarise(hub, relay);
  const out = flags.out ?? fileURLToPath(new URL(`./results/bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url));
  await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryMiB: Math.round(totalmem() / 2 ** 20), node: process.version, fileLimit, loadAtStart, loadAtEnd: loadavg() };
  await writeFile(out, `${JSON.stringify({ startedAt, flags, machine, summary, hub, relay }, null, 2)}\n`);

  process.stdout.write(`\n${table(hub, relay)}\n\n`);
  if (flags.rounds > 1) process.stdout.write(`each row: the round with the median p99 of ${flags.rounds} at that rate; every round is in the JSON\n\n`);
  if (flags.profile) {
    const file = await newestProfile(profileDir);
    if (file) process.stdout.write(`${await profileTop(file)}\n\n`);
  }
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(`machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, load average ${load(loadAtStart)} at start, ${load(machine.loadAtEnd)} at end\n`);
  process.stdout.write(`results: ${out}\n`);
  process.stdout.write(`${summaryLine(summary)}\n`);
}

let flags: BenchFlags | 'help';
try {
  flags = parseFlags(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (flags === 'help') {
  process.stdout.write(usage);
} else {
  const run = flags.ingestIds
    ? runIngestIds({ rounds: flags.quick ? 3 : Math.max(3, flags.rounds), eventsPerRound: flags.quick ? 4000 : 10_000, log: (line) => process.stdout.write(`${line}\n`) })
    : main(flags);
  run.then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
