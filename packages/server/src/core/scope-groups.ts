import { scopeKey, type ScopeMatcher } from '@shuttle-cti/protocol';

/**
 * Members (subscribers, counters) grouped by their scope, with an index from each queue
 * and peer a scope names to the groups: the members an event is for are found with two
 * map look-ups (its `queue`, its `peer`), however many scopes there are, instead of a scope
 * test per member. A member sharing its scope with others shares their group.
 */
export interface ScopeGroups<T> {
  add(scope: ScopeMatcher, member: T): void;
  /** Removes a member added with an equal scope. */
  delete(scope: ScopeMatcher, member: T): void;
  /** Calls `fn` once for each member whose scope the event is in (its queue or its peer). */
  forEachIn(event: { queue?: unknown; peer?: unknown }, fn: (member: T) => void): void;
  /** How many distinct scopes have members. */
  readonly size: number;
}

interface Group<T> {
  scope: ScopeMatcher;
  members: Set<T>;
}

export function createScopeGroups<T>(): ScopeGroups<T> {
  const groups = new Map<string, Group<T>>();
  const byQueue = new Map<string, Group<T>[]>();
  const byPeer = new Map<string, Group<T>[]>();
  const link = (map: Map<string, Group<T>[]>, names: ReadonlySet<string>, group: Group<T>): void => {
    for (const name of names) {
      const list = map.get(name);
      if (list) list.push(group);
      else map.set(name, [group]);
    }
  };
  const unlink = (map: Map<string, Group<T>[]>, names: ReadonlySet<string>, group: Group<T>): void => {
    for (const name of names) {
      const list = map.get(name)?.filter((g) => g !== group);
      if (list === undefined || list.length === 0) map.delete(name);
      else map.set(name, list);
    }
  };
  return {
    add(scope, member) {
      const key = scopeKey(scope.scope);
      let group = groups.get(key);
      if (group === undefined) {
        group = { scope, members: new Set() };
        groups.set(key, group);
        link(byQueue, scope.queues, group);
        link(byPeer, scope.peers, group);
      }
      group.members.add(member);
    },
    delete(scope, member) {
      const key = scopeKey(scope.scope);
      const group = groups.get(key);
      if (group === undefined || !group.members.delete(member) || group.members.size > 0) return;
      groups.delete(key);
      unlink(byQueue, group.scope.queues, group);
      unlink(byPeer, group.scope.peers, group);
    },
    forEachIn(event, fn) {
      const { queue, peer } = event;
      const byItsQueue = typeof queue === 'string' ? byQueue.get(queue) : undefined;
      if (byItsQueue) for (const group of byItsQueue) for (const member of group.members) fn(member);
      const byItsPeer = typeof peer === 'string' ? byPeer.get(peer) : undefined;
      if (byItsPeer === undefined) return;
      for (const group of byItsPeer) {
        // Once per member: a scope naming both the event's queue and its peer had it above.
        if (byItsQueue !== undefined && group.scope.queues.has(queue as string)) continue;
        for (const member of group.members) fn(member);
      }
    },
    get size() {
      return groups.size;
    },
  };
}
