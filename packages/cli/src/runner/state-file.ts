import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, ExitError } from '../exit-codes.js';

export interface StateFile {
  /** The seq saved by a previous run, if any. */
  read(): number | undefined;
  /** Remembers the newest seq handed to the handlers (written shortly after, in one go). */
  update(seq: number): void;
  /** Writes now (on shutdown). */
  flush(): void;
}

/**
 * `--state-file`: keeps the last seq across restarts of the runner itself, so a supervised
 * runner resumes where it stopped instead of from "now". Written atomically (temp + rename)
 * at most every `delayMs`.
 */
export function createStateFile(path: string, delayMs = 200): StateFile {
  let pending: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === undefined) return;
    const seq = pending;
    pending = undefined;
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ lastSeq: seq })}\n`);
    renameSync(temp, path);
  };

  return {
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ExitError(ExitCode.USAGE, `cannot read the state file ${path}: ${(error as Error).message}`);
      }
      let seq: unknown;
      try {
        seq = (JSON.parse(text) as { lastSeq?: unknown } | null)?.lastSeq;
      } catch {
        seq = undefined;
      }
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
        throw new ExitError(ExitCode.USAGE, `the state file ${path} holds no valid lastSeq; delete it to start from now`);
      }
      return seq;
    },
    update(seq) {
      pending = seq;
      timer ??= setTimeout(write, delayMs);
      // A pending write must not keep the process alive on its own.
      timer.unref();
    },
    flush: write,
  };
}
