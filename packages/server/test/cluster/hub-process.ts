/**
 * A hub as its own process: the CLI's `serve`, run from source (so the test never runs a
 * stale build), which a test can kill like an operator or a crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cliMain = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));

export interface HubProcess {
  readonly name: string;
  url: string;
  /** Every line the process printed (banner and JSON log lines), stdout and stderr. */
  readonly lines: string[];
  /** Log lines whose `msg` contains `text`. */
  logged(text: string): string[];
  readonly alive: boolean;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (graceful: drains, says goodbye to the other hubs); SIGKILL if it takes too long. */
  stop(): Promise<void>;
}

export interface HubProcessOptions {
  name: string;
  databaseUrl: string;
  redisUrl: string;
  configFile: string;
  dataDir: string;
  /** More `serve` flags (e.g. `--ami <url>`). */
  extraArgs?: readonly string[];
}

function logMessage(line: string): string {
  if (!line.startsWith('{')) return '';
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : '';
  } catch {
    return '';
  }
}

export async function startHubProcess(options: HubProcessOptions): Promise<HubProcess> {
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    cliMain,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data',
    options.dataDir,
    '--database-url',
    options.databaseUrl,
    '--redis-url',
    options.redisUrl,
    '--config',
    options.configFile,
    '--log-level',
    'info',
    ...(options.extraArgs ?? []),
  ];
  const env = { ...process.env };
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start:\n${lines.join('\n')}`)), 60_000);
    const take = (chunk: Buffer, rest: { text: string }): void => {
      rest.text += chunk.toString('utf8');
      const parts = rest.text.split('\n');
      rest.text = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const match = /listening on (https?:\/\/\S+)/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    };
    const out = { text: '' };
    const err = { text: '' };
    child.stdout?.on('data', (chunk: Buffer) => take(chunk, out));
    child.stderr?.on('data', (chunk: Buffer) => take(chunk, err));
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited before listening (code ${String(child.exitCode)}):\n${lines.join('\n')}`));
    });
  });

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (exited) return;
    child.kill(signal);
    await exit;
  };

  return {
    name: options.name,
    url,
    lines,
    logged: (text) => lines.filter((line) => logMessage(line).includes(text)),
    get alive() {
      return !exited;
    },
    kill,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
