import type { StreamEvent } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { Logger } from '../logger.js';

/**
 * Publishes call events to this hub's clients strictly in `seq` order, whichever hub
 * ingested them. The store is the log; Redis only rings a doorbell ("events up to seq N
 * exist") and is never trusted for order or completeness.
 *
 * Why this is loss-free: PostgreSQL appends hold an advisory lock until they commit, so
 * once seq N is visible every smaller seq that will ever exist is visible too (a gap left
 * by a rolled-back append stays a gap). Reading `eventsAfter(published)` therefore returns
 * the complete continuation of what this hub has published, and publishing only what
 * continues `published` means no client cursor ever jumps over an event.
 */
export interface Sequencer {
  /** Events this hub just stored: published at once when they continue the stream. */
  offer(events: readonly StreamEvent[]): void;
  /** Another hub stored events up to `seq`. */
  ring(seq: number): void;
  /** Looks in the store for anything not yet published (timer, Redis back, missed doorbell). */
  poll(): void;
  /** Highest seq published here. */
  published(): number;
  /** Resolves when nothing known is left to publish (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export function createSequencer(deps: {
  store: Store;
  /** Hands a run of consecutive events to this hub's clients. */
  publish: (events: StreamEvent[]) => void;
  logger: Logger;
  /** The last seq already in the store when the hub started (history, not live). */
  from: number;
  pageSize?: number;
}): Sequencer {
  const { store, logger } = deps;
  const pageSize = deps.pageSize ?? 500;
  let published = deps.from;
  /** Highest seq known to exist (or, after poll(), published + 1: "look"). */
  let wanted = deps.from;
  const own: StreamEvent[][] = [];
  let running: Promise<void> | undefined;
  let failing = false;
  let warnedMissing = false;
  let closed = false;

  function emit(events: StreamEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    published = last.seq;
    try {
      deps.publish(events);
    } catch (error) {
      logger.error({ err: error }, 'publishing events failed');
    }
  }

  /** Publishes the oldest own batch if it continues the stream; false when the store must be read. */
  function takeOwn(): boolean {
    for (;;) {
      const batch = own[0];
      if (!batch) return false;
      const last = batch[batch.length - 1];
      if (!last || last.seq <= published) {
        own.shift(); // already published from a store read
        continue;
      }
      if (batch.every((event, i) => event.seq === published + 1 + i)) {
        own.shift();
        emit(batch);
        return true;
      }
      // Another hub's events (or a rolled-back gap) come first: read them from the store.
      wanted = Math.max(wanted, last.seq);
      return false;
    }
  }

  async function run(): Promise<void> {
    while (!closed) {
      if (takeOwn()) continue;
      if (wanted <= published) return;
      const target = wanted;
      const page = await store.eventsAfter(published, pageSize);
      if (failing) {
        failing = false;
        logger.info('event store readable again: publishing events of other hubs');
      }
      if (page.length > 0) {
        emit(page);
        continue;
      }
      if (wanted !== target) continue; // a doorbell rang during the read: read again
      if (target > published + 1 && !warnedMissing) {
        warnedMissing = true;
        logger.warn(
          { seq: target, published },
          'another hub announced events this hub cannot find in its store: do all hubs with this Redis prefix use the same database?',
        );
      }
      wanted = published;
    }
  }

  function kick(): void {
    if (running || closed) return;
    let failed = false;
    running = run()
      .catch((error: unknown) => {
        // Logged once per outage; retried by the next poll or doorbell, not at once.
        failed = true;
        if (!failing) logger.error({ err: error }, 'cannot read events of other hubs from the store; retrying');
        failing = true;
      })
      .finally(() => {
        running = undefined;
        if (!failed && (own.length > 0 || wanted > published)) kick();
      });
  }

  return {
    offer(events) {
      if (events.length === 0) return;
      own.push([...events]);
      kick();
    },
    ring(seq) {
      if (seq <= wanted) return;
      wanted = seq;
      kick();
    },
    poll() {
      wanted = Math.max(wanted, published + 1);
      kick();
    },
    published: () => published,
    async idle() {
      while (running) await running;
    },
    close() {
      closed = true;
    },
  };
}
