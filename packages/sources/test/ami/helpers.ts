import type { SourceLogger } from '../../src/sink.js';
import { until as poll } from '../../../../test-support/poll.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string;
  obj: unknown;
  /** The whole call, serialised: what would reach a log file. */
  text: string;
}

/** A logger that keeps every line, to assert on what an operator would read. */
export function captureLogger(): { logger: SourceLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? ''), obj, text: JSON.stringify([obj, msg]) });
    };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }, lines };
}

/** Polls `check` until it holds; fails with `what` after the deadline (test-support/poll.ts). */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  await poll(check, { what, ms: timeoutMs, everyMs: 5 });
}
