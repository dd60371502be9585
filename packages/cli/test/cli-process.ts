/**
 * Runs the built CLI (packages/cli/bin/shuttle-cti.js, what users run) as a child process and
 * watches its output line by line. `npm test` builds first; alone, run `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../bin/shuttle-cti.js', import.meta.url));
export const seedDir = fileURLToPath(new URL('../../../fixtures/seed-events/', import.meta.url));
export const legacyDir = fileURLToPath(new URL('../../../fixtures/legacy/', import.meta.url));

if (!existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))) {
  throw new Error('the CLI is not built: run `npm run build` first');
}

export interface CliProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first line (already seen or to come) of `stream` matching `pattern`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  output(): string;
}

export function spawnCli(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliProcess {
  const env: Record<string, string | undefined> = { ...process.env, SHUTTLE_CTI_TOKEN: undefined, SHUTTLE_CTI_URL: undefined, ...options.env };
  const child = spawn(process.execPath, [bin, ...args], {
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
    cwd: options.cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters: { stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: (line: string) => void }[] = [];
  const take = (stream: 'stdout' | 'stderr', line: string): void => {
    lines[stream].push(line);
    for (const w of [...waiters]) {
      if (w.stream === stream && w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      rest += chunk;
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) take(stream, line);
    });
    child[stream]?.on('end', () => {
      if (rest !== '') take(stream, rest);
    });
  }
  // 'close' comes after the output pipes are drained, unlike 'exit'.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const output = (): string => `--- stdout\n${lines.stdout.join('\n')}\n--- stderr\n${lines.stderr.join('\n')}`;
  return {
    child,
    stdout: lines.stdout,
    stderr: lines.stderr,
    exited,
    output,
    waitFor(stream, pattern, ms = 10_000) {
      const seen = lines[stream].find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${stream} line matching ${String(pattern)} within ${ms} ms\n${output()}`)), ms);
        const waiter = {
          stream,
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(() => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`exited before a ${stream} line matching ${String(pattern)}\n${output()}`));
        });
      });
    },
  };
}

/** Runs the CLI to completion. */
export async function runCli(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<{ code: number | null; stdout: string[]; stderr: string[]; output: string }> {
  const p = spawnCli(args, options);
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr, output: p.output() };
}
