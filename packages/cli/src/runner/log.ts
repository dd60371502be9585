import { fileURLToPath } from 'node:url';

/** The runner's log: one line per message on stderr (stdout is left to the script and to `replay`). */
export interface RunnerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface LogOptions {
  /** Where lines go; default process.stderr. */
  write?: (line: string) => void;
  /** Prefix each line with the time (off under systemd, whose journal stamps lines itself). */
  timestamps?: boolean;
  /** Hide info lines. */
  quiet?: boolean;
}

const runnerDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * A stack as a script author wants it: frames of their script (tsx's compiled `data:` URLs
 * shown as the file they came from), without the runner's own frames below them.
 */
export function cleanStack(stack: string): string {
  const lines: string[] = [];
  for (const line of stack.split('\n')) {
    if (line.includes(runnerDir) || line.includes('node:async_hooks')) break;
    lines.push(
      line
        // CommonJS output has no source map: its line:column would point into compiled code, so drop them.
        .replace(/data:text\/javascript,\S*?\?filePath=([^\s):]+)(?::\d+:\d+)?/g, (_m, path: string) => decodeURIComponent(path))
        .replace(/\?(?:tsx-)?namespace=[\w-]+/g, '')
        .replace(/file:\/\/(\/[^\s):?]+)/g, (_m, path: string) => decodeURIComponent(path)),
    );
  }
  return lines.join('\n');
}

/** The message and, for errors, the stack: a script author needs the line that failed. */
export function describeError(error: unknown): string {
  // Duck-typed: errors thrown inside a legacy script's vm context are not `instanceof Error` here.
  if (isErrorLike(error)) {
    const code = (error as { code?: unknown }).code;
    const head = typeof code === 'string' && error.name === 'CtiError' ? `${code}: ${error.message}` : undefined;
    if (head) return head;
    return error.stack ? cleanStack(error.stack) : `${error.name}: ${error.message}`;
  }
  return String(error);
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

export function createLog(options: LogOptions = {}): RunnerLog {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const line = (level: string, message: string): void => {
    const time = options.timestamps ? `${new Date().toISOString()} ` : '';
    write(`${time}${level} ${message}\n`);
  };
  return {
    info: (message) => {
      if (!options.quiet) line('info', message);
    },
    warn: (message) => line('warn', message),
    error: (message, error) => line('error', error === undefined ? message : `${message}: ${describeError(error)}`),
  };
}
