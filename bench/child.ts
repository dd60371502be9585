import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A server the bench drives: the hub (CLI `serve`) or the bare relay, each its own process. */
export interface Target {
  readonly name: 'hub' | 'relay';
  readonly url: string;
  readonly pid: number;
  readonly tokens: { source: string; integrations: string[]; supervisor: string; agents: { token: string; peer: string }[]; scopedSupervisors?: { token: string; queue: string; peers: string[] }[] };
  /** Worst event-loop delay (p99 and max of each second) the server reported since `since` (Date.now()). */
  loopDelay(since: number): { p99: number; max: number };
  stop(): Promise<void>;
}

const loopDelayPreload = fileURLToPath(new URL('./loop-delay.js', import.meta.url));

/** Node arguments that load the event-loop delay reporter into a server process. */
export const loopDelayArgs = ['--import', loopDelayPreload];

interface DelaySample {
  at: number;
  p99: number;
  max: number;
}

/**
 * Spawns a server process and resolves with its port once it prints `listening on
 * http://host:port`. Its output is kept (the last lines are shown if it fails).
 */
export async function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; port: number; output: () => string; loopDelay: Target['loopDelay'] }> {
  const child = spawn(process.execPath, [...loopDelayArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const delays: DelaySample[] = [];
  let partial = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('bench-loop-delay ')) delays.push(JSON.parse(line.slice(17)) as DelaySample);
      else keep(Buffer.from(`${line}\n`));
    }
  });
  const loopDelay = (since: number): { p99: number; max: number } => {
    const recent = delays.filter((d) => d.at >= since);
    return { p99: Math.max(0, ...recent.map((d) => d.p99)), max: Math.max(0, ...recent.map((d) => d.max)) };
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output}`)), 30_000);
    const look = (): void => {
      const match = /listening on https?:\/\/[^\s:]+:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      resolve(Number(match[1]));
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code ?? 'a signal'} before listening:\n${output}`));
    });
  });
  return { child, port, output: () => output, loopDelay };
}

/** SIGTERM, then SIGKILL if it has not exited after `ms`. */
export async function stopChild(child: ChildProcess, ms = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}
