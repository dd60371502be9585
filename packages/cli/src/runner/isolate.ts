import { contextOf, describeContext, handlerContext } from './context.js';
import type { RunnerLog } from './log.js';

export type Outcome = 'ok' | 'failed' | 'timeout';

export interface IsolateOptions {
  /** Milliseconds a handler may take (its promise included); 0 = no limit. */
  timeoutMs: number;
  log: RunnerLog;
}

/**
 * Runs one handler for one event so that nothing it does can stop the runner: a throw or a
 * rejected promise is logged with the event's uniqueid, and a handler that neither returns nor
 * settles within the timeout is reported and left behind (JavaScript cannot cancel it).
 * Never rejects.
 */
export async function runIsolated(
  handler: (payload: unknown) => unknown,
  name: string,
  payload: unknown,
  options: IsolateOptions,
): Promise<Outcome> {
  const ctx = contextOf(name, payload);
  const where = describeContext(ctx);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const work = handlerContext.run(ctx, async () => handler(payload));
    if (options.timeoutMs <= 0) {
      await work;
      return 'ok';
    }
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const result = await Promise.race([work.then(() => 'ok' as const), timedOut]);
    if (result === 'timeout') {
      options.log.error(`${where}: handler did not finish within ${options.timeoutMs} ms; timed out, carrying on`);
      // Whatever it does later must not surface as an unhandled rejection.
      work.catch((error: unknown) => options.log.error(`${where}: timed-out handler failed later`, error));
    }
    return result;
  } catch (error) {
    options.log.error(`${where}: handler failed`, error);
    return 'failed';
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
