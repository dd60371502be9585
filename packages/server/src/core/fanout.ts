import { eventInScope, type StreamEvent, type ReplayTruncated, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { Logger } from '../logger.js';
import { createScopeGroups } from './scope-groups.js';

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
  /** The entries with a scope, live (not replaying) and by scope: an event finds its own with two look-ups. */
  const scoped = createScopeGroups<Entry>();

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

  /** The event being published, and the ids it goes to per namespace (publish). */
  let current: StreamEvent | undefined;
  let byNamespace = new Map<string, string[]>();
  /** One live subscriber gets `current`: its id joins its namespace's broadcast, or it is sent to alone. */
  function take(entry: Entry): void {
    if (current === undefined || !advance(entry, current)) return;
    const { namespace } = entry.sub;
    if (broadcast && namespace !== undefined) {
      const ids = byNamespace.get(namespace);
      if (ids) ids.push(entry.sub.id);
      else byNamespace.set(namespace, [entry.sub.id]);
    } else {
      entry.sub.send(current);
    }
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
        if (entry.scope !== null) scoped.add(entry.scope, entry);
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
        if (entry.scope !== null && entries.get(sub.id) === entry) scoped.add(entry.scope, entry);
      }
    },
    remove(id) {
      const entry = entries.get(id);
      entries.delete(id);
      if (entry?.scope) scoped.delete(entry.scope, entry);
    },
    setScope(id, scope) {
      const entry = entries.get(id);
      if (!entry) return;
      const live = entry.buffer === undefined;
      if (live && entry.scope !== null) scoped.delete(entry.scope, entry);
      entry.scope = scope;
      if (live && scope !== null) scoped.add(scope, entry);
    },
    publish(events) {
      for (const event of events) {
        current = event;
        byNamespace = new Map();
        for (const entry of entries.values()) {
          if (entry.buffer) {
            entry.buffer.push(event);
            continue;
          }
          // Unscoped subscribers (null) pay one comparison; scoped ones are found by their scope's names.
          if (entry.scope === null) take(entry);
        }
        if (scoped.size > 0) scoped.forEachIn(event, take);
        for (const [namespace, ids] of byNamespace) broadcast?.(namespace, ids, event);
      }
    },
  };
}
