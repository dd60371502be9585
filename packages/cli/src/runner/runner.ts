import type { CtiClient } from '@shuttle-cti/sdk';
import { runIsolated, type Outcome } from './isolate.js';
import type { RunnerLog } from './log.js';
import type { PreparedIntegration } from './prepared.js';
import { createScope, type Scope } from './scope.js';

export interface RunnerOptions {
  /** The real client (or the offline one of `replay`). */
  client: CtiClient;
  log: RunnerLog;
  /** Milliseconds a handler (or an integration's set-up) may take; 0 = no limit. */
  timeoutMs: number;
  /** Called when the integration closes its client. */
  onStop?: () => void;
}

export interface RunnerStats {
  events: number;
  failed: number;
  timedOut: number;
}

export interface Runner {
  /**
   * Installs an integration. The one running keeps running until the new one is set up,
   * and events arriving meanwhile wait, so a reload neither drops nor doubles an event.
   * Throws (leaving the old one in place) if the new one fails to set up.
   */
  install(prepared: PreparedIntegration): Promise<void>;
  /** Runs the handlers of one event, each isolated; resolves when all finished or timed out. */
  dispatch(name: string, payload: unknown): Promise<Outcome[]>;
  readonly stats: RunnerStats;
}

export function createRunner(options: RunnerOptions): Runner {
  const { client, log, timeoutMs } = options;
  let current: { scope: Scope; cleanup: (() => void) | undefined } | undefined;
  let installing = false;
  const held: { name: string; payload: unknown; done: (outcomes: Promise<Outcome[]>) => void }[] = [];
  const stats: RunnerStats = { events: 0, failed: 0, timedOut: 0 };

  const run = async (name: string, payload: unknown): Promise<Outcome[]> => {
    stats.events += 1;
    if (!current) return [];
    const entries = current.scope.entries;
    const selected = entries.filter((entry) => entry.event === name);
    for (const entry of selected) {
      if (entry.once) entries.splice(entries.indexOf(entry), 1);
    }
    const outcomes = await Promise.all(selected.map((entry) => runIsolated(entry.handler, name, payload, { timeoutMs, log })));
    for (const outcome of outcomes) {
      if (outcome === 'failed') stats.failed += 1;
      else if (outcome === 'timeout') stats.timedOut += 1;
    }
    return outcomes;
  };

  const setUp = async (prepared: PreparedIntegration, scope: Scope): Promise<(() => void) | undefined> => {
    const work = prepared.install(scope.client);
    if (timeoutMs <= 0) return (await work) ?? undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the integration's set-up did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([work, timeout])) ?? undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async install(prepared) {
      installing = true;
      const scope = createScope(client, () => options.onStop?.());
      try {
        const cleanup = await setUp(prepared, scope);
        const previous = current;
        current = { scope, cleanup };
        if (previous) {
          previous.scope.dispose();
          try {
            previous.cleanup?.();
          } catch (error) {
            log.error('the previous version failed to clean up', error);
          }
        }
      } catch (error) {
        scope.dispose();
        throw error;
      } finally {
        installing = false;
        for (const event of held.splice(0)) event.done(run(event.name, event.payload));
      }
    },
    dispatch(name, payload) {
      if (!installing) return run(name, payload);
      return new Promise<Outcome[]>((resolve) => held.push({ name, payload, done: (outcomes) => resolve(outcomes) }));
    },
    stats,
  };
}
