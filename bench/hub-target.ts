import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchPeers, benchQueues } from './traffic.js';
import { spawnServer, stopChild, type Target } from './child.js';

const run = promisify(execFile);
export const cliBin = fileURLToPath(new URL('../packages/cli/bin/shuttle-cti.js', import.meta.url));
const cliMain = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));
export const profileDir = fileURLToPath(new URL('./results/profiles/', import.meta.url));

/** Throws a readable error when the CLI has not been built. */
export function checkBuilt(): void {
  if (!existsSync(cliMain)) throw new Error('the CLI is not built: run `npm run build` first (npm install does it)');
}

async function cliToken(dataDir: string, role: string, name: string): Promise<string> {
  const { stdout } = await run(process.execPath, [cliBin, 'token', 'create', '--role', role, '--name', name, '--data', dataDir]);
  return stdout.trim();
}

/**
 * Agent tokens in bulk. `shuttle-cti token create` makes one token per process start
 * (about half a second each), too slow for thousands of agents, so these go through the
 * very function the CLI calls (createToken on the same store), before the hub starts.
 */
async function bulkAgentTokens(dataDir: string, peers: string[]): Promise<{ token: string; peer: string }[]> {
  const { createStore } = await import('@shuttle-cti/store');
  const { createToken } = await import('@shuttle-cti/server');
  const store = createStore({ dataDir });
  await store.migrate();
  try {
    const out: { token: string; peer: string }[] = [];
    for (const peer of peers) out.push({ peer, token: (await createToken(store, { role: 'agent', peer, name: `bench-${peer}` })).secret });
    return out;
  } finally {
    await store.close();
  }
}

/**
 * `--scoped-supervisors`: tokens limited to one queue (in turn) and 5 peers each, made
 * like the agents' tokens; `--unscoped-supervisors`: plain ones (queue '': not checked).
 */
async function bulkScopedSupervisors(dataDir: string, count: number, peers: string[], unscoped: number): Promise<{ token: string; queue: string; peers: string[] }[]> {
  if (count + unscoped === 0) return [];
  const { createStore } = await import('@shuttle-cti/store');
  const { createToken } = await import('@shuttle-cti/server');
  const store = createStore({ dataDir });
  await store.migrate();
  try {
    const out: { token: string; queue: string; peers: string[] }[] = [];
    for (let i = 0; i < count; i++) {
      const queue = benchQueues[i % benchQueues.length] as string;
      const mine = Array.from({ length: 5 }, (_, k) => peers[(i * 5 + k) % peers.length] as string);
      const { secret } = await createToken(store, { role: 'supervisor', name: `bench-scoped-${i + 1}`, scope: { queues: [queue], peers: mine } });
      out.push({ token: secret, queue, peers: mine });
    }
    for (let i = 0; i < unscoped; i++) {
      out.push({ token: (await createToken(store, { role: 'supervisor', name: `bench-extra-${i + 1}` })).secret, queue: '', peers: [] });
    }
    return out;
  } finally {
    await store.close();
  }
}

/**
 * `--webhooks n`: a receiver process answering 200 at once, and n webhooks for every event
 * name registered on the store (as `shuttle-cti webhook add` does) before the hub starts.
 */
async function startWebhooks(dataDir: string, count: number): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./webhook-receiver.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the webhook receiver did not start:\n${output}`)), 10_000);
    child.stdout?.on('data', () => {
      const match = /listening on (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(`${match[1]}/hook`);
      }
    });
  });
  const { createStore } = await import('@shuttle-cti/store');
  const { addWebhook } = await import('@shuttle-cti/server');
  const { webhookEventNames } = await import('@shuttle-cti/protocol');
  const store = createStore({ dataDir });
  await store.migrate();
  try {
    for (let i = 0; i < count; i++) await addWebhook(store, { url, events: [...webhookEventNames], name: `bench-${i + 1}` });
  } finally {
    await store.close();
  }
  return {
    async stop() {
      await stopChild(child);
      const got = /received (\d+)/.exec(output)?.[1];
      process.stderr.write(`bench: ${count} webhooks, the receiver got ${got ?? '?'} requests\n`);
    },
  };
}

/**
 * Without `--hub-config`: the defaults, but with room for every agent's connection. All
 * of the bench's clients come from 127.0.0.1, and `connections.max` (10,000) and
 * `connections.maxPerAddress` (1,000) would close connections past them on arrival.
 */
async function benchConfig(dataDir: string, agents: number): Promise<string> {
  const file = join(dataDir, 'bench-hub.json');
  const room = agents + 256;
  await writeFile(file, `${JSON.stringify({ connections: { max: Math.max(10_000, room), maxPerAddress: room } }, null, 2)}\n`);
  return file;
}

/**
 * The hub as a user runs it: `shuttle-cti serve` in its own process, with a fresh SQLite
 * data dir and a free port; role tokens made with `shuttle-cti token create`.
 */
export async function startHub(options: { agents: number; integrations: number; profile: boolean; config: string | undefined; scopedSupervisors?: number; unscopedSupervisors?: number; webhooks?: number }): Promise<Target> {
  checkBuilt();
  const dataDir = await mkdtemp(join(tmpdir(), 'shuttle-cti-bench-'));
  const [source, supervisor, ...integrations] = await Promise.all([
    cliToken(dataDir, 'source', 'bench-source'),
    cliToken(dataDir, 'supervisor', 'bench-supervisor'),
    ...Array.from({ length: options.integrations }, (_, i) => cliToken(dataDir, 'integration', `bench-integration-${i + 1}`)),
  ]);
  const agents = await bulkAgentTokens(dataDir, benchPeers(options.agents));
  const scopedSupervisors = await bulkScopedSupervisors(dataDir, options.scopedSupervisors ?? 0, benchPeers(options.agents), options.unscopedSupervisors ?? 0);
  const receiver = options.webhooks ? await startWebhooks(dataDir, options.webhooks) : undefined;
  const node: string[] = [];
  if (options.profile) {
    await mkdir(profileDir, { recursive: true });
    node.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  }
  const config = ['--config', options.config ?? (await benchConfig(dataDir, options.agents))];
  const { child, port, loopDelay } = await spawnServer([...node, cliBin, 'serve', ...config, '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'warn']);
  return {
    name: 'hub',
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    tokens: { source, supervisor, integrations, agents, scopedSupervisors },
    loopDelay,
    async stop() {
      await stopChild(child);
      await receiver?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
