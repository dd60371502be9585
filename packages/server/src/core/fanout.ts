import { eventInScope, type StreamEvent, type ReplayTruncated, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { Logger } from '../logger.js';

/** A connection that receives every call event (integrations, supervisors). */
export interface Subscriber {
  readonly id: string;
  /**
   * The socket.io namespace of the subscriber's socket, whose id is then `id`: live events
   * to the subscribers of one namespace go out as one broadcast, encoded once.
   */
  readonly namespace?: string;
  send(event: StreamEvent): void;
  truncated(info: ReplayTruncated): void;
  /**
   * Protocol 1.2: the subscriber gets only the events in this scope (live and on replay,
   * so the seqs it sees have gaps). Absent or null: every event.
   */
  readonly scope?: ScopeMatcher | null;
}

interface Entry {
  sub: Subscriber;
  /** Highest seq sent to this subscriber. */
  cursor: number;
  /** Live events held back while the subscriber replays from the store. */
  buffer: StreamEvent[] | undefined;
  scope: ScopeMatcher | null;
}

export interface Fanout {
  /**
   * Registers a subscriber. With `lastSeq`, it first gets every stored event after it, in
   * order, then the live stream: registration comes first and live events are buffered
   * during the replay, so the seam has neither gap nor duplicate.
   */
  add(sub: Subscriber, lastSeq?: number): Promise<void>;
  remove(id: string): void;
  /** Changes the scope of a subscriber (its token's scope changed); the next event follows it. */
  setScope(id: string, scope: ScopeMatcher | null): void;
  publish(events: readonly StreamEvent[]): void;
}

const pageSize = 500;

/**
 * `broadcast`, when given, sends one live event to the sockets `ids` of a namespace at once
 * (encoded once for all of them rather than once per socket). Subscribers without a
 * namespace, and every event of a replay, go through the subscriber's own `send`.
 */
export function createFanout(
  store: Store,
  logger: Logger,
  broadcast?: (namespace: string, ids: readonly string[], event: StreamEvent) => void,
): Fanout {
  const entries = new Map<string, Entry>();

  /** Moves the subscriber's cursor to `event`; false when it already had it. */
  function advance(entry: Entry, event: StreamEvent): boolean {
    if (event.seq <= entry.cursor) return false;
    entry.cursor = event.seq;
    return true;
  }

  function deliver(entry: Entry, event: StreamEvent): void {
    if (!advance(entry, event)) return;
    if (entry.scope === null || eventInScope(entry.scope, event)) entry.sub.send(event);
  }

  async function replay(entry: Entry, after: number): Promise<void> {
    const { first } = await store.seqRange();
    if (first > after + 1) entry.sub.truncated({ from: after + 1, to: first - 1 });
    entry.cursor = after;
    for (;;) {
      if (!entries.has(entry.sub.id)) return;
      const page = await store.eventsAfter(entry.cursor, pageSize);
      for (const event of page) deliver(entry, event);
      if (page.length < pageSize) return;
    }
  }

  return {
    async add(sub, lastSeq) {
      const entry: Entry = { sub, cursor: 0, buffer: undefined, scope: sub.scope ?? null };
      if (lastSeq === undefined) {
        entries.set(sub.id, entry);
        return;
      }
      entry.buffer = [];
      entries.set(sub.id, entry);
      try {
        await replay(entry, lastSeq);
      } catch (error) {
        logger.error({ err: error, subscriber: sub.id }, 'replay failed');
        throw error;
      } finally {
        const held = entry.buffer;
        entry.buffer = undefined;
        for (const event of held) deliver(entry, event);
      }
    },
    remove(id) {
      entries.delete(id);
    },
    setScope(id, scope) {
      const entry = entries.get(id);
      if (entry) entry.scope = scope;
    },
    publish(events) {
      for (const event of events) {
        const byNamespace = new Map<string, string[]>();
        for (const entry of entries.values()) {
          if (entry.buffer) {
            entry.buffer.push(event);
            continue;
          }
          if (!advance(entry, event)) continue;
          // Unscoped subscribers (null) pay one comparison; scoped ones two set look-ups.
          if (entry.scope !== null && !eventInScope(entry.scope, event)) continue;
          const { namespace } = entry.sub;
          if (broadcast && namespace !== undefined) {
            const ids = byNamespace.get(namespace);
            if (ids) ids.push(entry.sub.id);
            else byNamespace.set(namespace, [entry.sub.id]);
          } else {
            entry.sub.send(event);
          }
        }
        for (const [namespace, ids] of byNamespace) broadcast?.(namespace, ids, event);
      }
    },
  };
}
