import { spawn, type ChildProcess } from 'node:child_process';

/** A server the bench drives: the hub (CLI `serve`) or the bare relay, each its own process. */
export interface Target {
  readonly name: 'hub' | 'relay';
  readonly url: string;
  readonly pid: number;
  readonly tokens: { source: string; integrations: string[]; supervisor: string; agents: { token: string; peer: string }[] };
  stop(): Promise<void>;
}

/**
 * Spawns a server process and resolves with its port once it prints `listening on
 * http://host:port`. Its output is kept (the last lines are shown if it fails).
 */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
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
  return { child, port, output: () => output };
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
