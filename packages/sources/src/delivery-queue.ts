import { sendRetrying } from './retry.js';
import type { SourceLogger } from './sink.js';

export interface DeliveryQueue {
  /**
   * Queues one delivery, run after every one queued before it. While the hub refuses it for
   * overload it is retried as the hub asks; the deliveries behind it wait. Past `limit`
   * waiting deliveries the new one is dropped (logged, counted in `dropped`).
   */
  push(task: () => Promise<void>, describe: () => Record<string, unknown>): void;
  /** Deliveries queued and not yet done. */
  readonly waiting: number;
  /** Deliveries dropped because the queue was full. */
  readonly dropped: number;
  /** Resolves once everything queued is delivered or given up; retries stop `graceMs` after this is called. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The buffer of a source the PBX cannot be told to slow down (Asterisk sends its events
 * whether or not the hub takes them): events wait here, in order, while the hub is
 * overloaded, up to a bound.
 */
export function createDeliveryQueue(options: { limit: number; logger: SourceLogger; what: string }): DeliveryQueue {
  const { limit, logger, what } = options;
  let chain: Promise<void> = Promise.resolve();
  let waiting = 0;
  let dropped = 0;
  let giveUpAt: number | undefined;
  let overloaded = false;

  const stopped = (): boolean => giveUpAt !== undefined && Date.now() >= giveUpAt;

  return {
    push(task, describe) {
      if (waiting >= limit) {
        dropped++;
        // The first drop, then one line per thousand: a flood must not flood the log too.
        if (dropped % 1000 === 1) logger.error({ ...describe(), dropped, limit }, `${what}: the hub is overloaded and the buffer is full; event dropped`);
        return;
      }
      waiting++;
      chain = chain
        .then(() =>
          sendRetrying(task, {
            stopped,
            onWait: (ms) => {
              if (!overloaded) logger.warn({ waitMs: ms, waiting }, `${what}: the hub is overloaded; events wait in the source`);
              overloaded = true;
            },
          }),
        )
        .then(() => {
          if (overloaded) logger.info({ waiting }, `${what}: the hub takes events again`);
          overloaded = false;
        })
        .catch((error: unknown) => {
          logger.error({ err: error, ...describe() }, `${what}: the hub refused an event`);
        })
        .finally(() => {
          waiting--;
        });
    },
    get waiting() {
      return waiting;
    },
    get dropped() {
      return dropped;
    },
    async close(graceMs = 10_000) {
      giveUpAt = Date.now() + graceMs;
      await chain;
    },
  };
}
