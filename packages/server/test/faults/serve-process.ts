/**
 * The hub as an operator runs it, for the fault tests: `shuttle-cti serve` in its own
 * process (from source, so a test never runs a stale build) on a fixed port and SQLite
 * data dir, which the test can SIGKILL and start again on the same port and data.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cliMain = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
const node = ['--conditions=source', '--import', 'tsx', cliMain];

export interface ServeProcess {
  readonly url: string;
  readonly pid: number;
  /** What the process printed so far (for failure messages). */
  output(): string;
  /** Sends `signal` (default SIGKILL) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `shuttle-cti token create`, run as a user would, against the same data dir. */
export async function cliToken(dataDir: string, role: 'integration' | 'agent' | 'supervisor' | 'source', peer?: string): Promise<string> {
  const args = [...node, 'token', 'create', '--role', role, '--name', `fault-${role}`, '--data', dataDir, ...(peer ? ['--peer', peer] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: repoRoot });
  return stdout.trim();
}

/** Starts `serve` and resolves once it prints its address. */
export async function startServe(options: { port: number; dataDir: string; config?: string }): Promise<ServeProcess> {
  const args = [...node, 'serve', '--host', '127.0.0.1', '--port', String(options.port), '--data', options.dataDir, '--log-level', 'warn'];
  if (options.config) args.push('--config', options.config);
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 60 s:\n${output}`)), 60_000);
    const look = (): void => {
      if (!/listening on http:\/\//.test(output)) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      resolve();
    };
    child.stdout?.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid ?? 0,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
