import { parseArgs } from 'node:util';
import { defaultAgentProcs } from './client-procs.js';

export interface BenchFlags {
  agents: number;
  /** Processes the agents are spread over (see client-procs.ts). */
  agentProcs: number;
  integrations: number;
  rates: number[];
  stepMs: number;
  warmupMs: number;
  /** Events per second of the warm-up. */
  warmupRate: number;
  /** How long to wait after a step for late events before counting the rest lost. */
  drainMs: number;
  batchMs: number;
  baseline: boolean;
  profile: boolean;
  /** Keep climbing after a step failed (default: stop at the first step that loses or exceeds 10× the p99 target). */
  keepGoing: boolean;
  maxP99Ms: number;
  seed: number;
  quick: boolean;
  /** How many times the ladder of rates is run; each rate is reported by its median round. */
  rounds: number;
  out: string | undefined;
  /** A configuration file handed to `shuttle-cti serve --config` (JSON or YAML). */
  hubConfig: string | undefined;
  /** Every posted event carries an `eventid` (idempotent ingest), to measure what the look-up costs. */
  eventIds: boolean;
  /** Instead of the ladder: ingest alone, without ids, with new ids and with repeats (see ingest-ids.ts). */
  ingestIds: boolean;
  /** Supervisors with scoped tokens connected to the hub besides the unscoped one (protocol 1.2 scopes). */
  scopedSupervisors: number;
  /** The same number of extra supervisors but unscoped, to compare with `--scoped-supervisors`. */
  unscopedSupervisors: number;
  /** Webhooks registered on the hub (every event name), all POSTing to one local receiver process. */
  webhooks: number;
}

export const usage = `npm run bench -- [flags]

  --quick              short run (under a minute): 2,000 agents, 250 and 1,000 events/s, 4 s steps
  --agents <n>         agents connected to /agent (default 2000, up to 10000)
  --agent-procs <n>    processes the agents are spread over (default one per 2,500 agents: 1 for 2,000, 4 for 10,000)
  --integrations <n>   integration processes answering every "up" with a wakeup (default 2)
  --rates <list>       events per second of each step (default 100,250,500,1000,2000,5000)
  --step-seconds <s>   length of each step (default 10)
  --warmup-seconds <s> warm-up of each target once its clients are connected (default 3, 1 with --quick)
  --warmup-rate <n>    events per second of the warm-up (default 100)
  --batch-ms <ms>      the source posts a batch this often (default 20)
  --max-p99 <ms>       p99 screen-pop latency a step must stay under to pass (default 50)
  --no-baseline        skip the bare socket.io relay
  --profile            run the hub with node --cpu-prof; the profile lands in bench/results/profiles
  --keep-going         run every step even after one failed
  --rounds <n>         run the rates n times, interleaved, and report each rate's median round (default 3, 1 with --quick)
  --seed <n>           traffic seed (default 1)
  --out <file>         where to write the JSON (default bench/results/bench-<time>.json)
  --hub-config <file>  configuration file for the hub (\`serve --config\`), to measure your own settings
  --event-ids          every posted event carries an eventid (idempotent ingest: one look-up per event)
  --webhooks <n>       register n webhooks for every event, delivered to a local receiver (default 0)
  --ingest-ids         instead: ingest alone, rounds without ids, with new ids and with repeated ids, compared
  --scoped-supervisors <n>  also connect n supervisors with scoped tokens (each one queue and 5 peers) to the hub
  --unscoped-supervisors <n>  also connect n extra unscoped supervisors to the hub (the same process), to compare
`;

const number = (value: string | undefined, name: string, fallback: number, min = 0): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number ≥ ${min}, got "${value}"`);
  return n;
};

export function parseFlags(argv: string[]): BenchFlags | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      agents: { type: 'string' },
      'agent-procs': { type: 'string' },
      integrations: { type: 'string' },
      rates: { type: 'string' },
      'step-seconds': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'warmup-rate': { type: 'string' },
      'batch-ms': { type: 'string' },
      'max-p99': { type: 'string' },
      'no-baseline': { type: 'boolean' },
      profile: { type: 'boolean' },
      'keep-going': { type: 'boolean' },
      rounds: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'hub-config': { type: 'string' },
      'event-ids': { type: 'boolean' },
      'ingest-ids': { type: 'boolean' },
      'scoped-supervisors': { type: 'string' },
      'unscoped-supervisors': { type: 'string' },
      webhooks: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const rates = (values.rates ?? (quick ? '250,1000' : '100,250,500,1000,2000,5000')).split(',').map((r) => number(r.trim(), 'rates', 0, 1));
  const agents = number(values.agents, 'agents', 2000, 1);
  if (agents > 10_000) throw new Error('--agents: at most 10000');
  const stepMs = number(values['step-seconds'], 'step-seconds', quick ? 4 : 10, 1) * 1000;
  return {
    agents,
    agentProcs: Math.floor(number(values['agent-procs'], 'agent-procs', defaultAgentProcs(agents), 1)),
    integrations: number(values.integrations, 'integrations', 2, 1),
    rates,
    stepMs,
    warmupMs: number(values['warmup-seconds'], 'warmup-seconds', quick ? 1 : 3) * 1000,
    warmupRate: number(values['warmup-rate'], 'warmup-rate', 100, 1),
    drainMs: quick ? 3000 : 10_000,
    batchMs: number(values['batch-ms'], 'batch-ms', 20, 1),
    baseline: !(values['no-baseline'] ?? false),
    profile: values.profile ?? false,
    keepGoing: values['keep-going'] ?? false,
    maxP99Ms: number(values['max-p99'], 'max-p99', 50, 1),
    seed: number(values.seed, 'seed', 1),
    quick,
    rounds: Math.floor(number(values.rounds, 'rounds', quick ? 1 : 3, 1)),
    out: values.out,
    hubConfig: values['hub-config'],
    eventIds: values['event-ids'] ?? false,
    ingestIds: values['ingest-ids'] ?? false,
    scopedSupervisors: Math.floor(number(values['scoped-supervisors'], 'scoped-supervisors', 0)),
    unscopedSupervisors: Math.floor(number(values['unscoped-supervisors'], 'unscoped-supervisors', 0)),
    webhooks: Math.floor(number(values.webhooks, 'webhooks', 0)),
  };
}
