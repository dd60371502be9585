import type { StreamEvent, ScopeMatcher } from '@shuttle-cti/protocol';
import { createScopeJournal, type CountedEvent } from './scope-journal.js';

/**
 * What the hub knows for scope checks (protocol 1.2, "Scopes") beyond the event at hand:
 * which peers belong to which queues, and which queue and peers each recent call had.
 *
 * Queue membership comes from the PBX's own `agentstate` events (QueueStatus after each
 * connect, QueueMemberAdded/Removed), and, for a PBX that sends none (HTTP ingest, the
 * simulator), from the calls seen: a peer rung or answering for a queue is a member of it.
 * Both are bounded: the calls kept are the most recent `maxCalls`.
 *
 * It also keeps the most recent call events as scopes' counters read them
 * (scope-journal.ts), so that the counters of a scope that appears are counted from memory.
 */
export interface ScopeIndex {
  observe(event: StreamEvent): void;
  /** Queues the peer is a member of, as far as the hub knows. */
  queuesOf(peer: string): ReadonlySet<string> | undefined;
  /** Whether the peer is named by the scope or is a member of one of its queues. */
  peerInScope(scope: ScopeMatcher, peer: string): boolean;
  /** Whether a call is in the scope: true or false when the hub knows it, undefined when it does not. */
  callInScope(scope: ScopeMatcher, uniqueid: string): boolean | undefined;
  /**
   * Calls `listener` when a peer stops being a member of a queue it was one of (an
   * `agentstate` with `member: false`), after the membership is gone.
   */
  onLeave(listener: (peer: string, queue: string) => void): void;
  /** The most recent call events, oldest first, as the scopes' counters read them (one object reused: do not keep it). */
  replayEvents(apply: (event: Readonly<CountedEvent>) => void): void;
}

interface CallSeen {
  queue: string | undefined;
  peers: Set<string>;
}

const maxPeersPerCall = 64;

export function createScopeIndex(maxCalls = 50_000, journalEvents?: number): ScopeIndex {
  const journal = createScopeJournal(journalEvents);
  const members = new Map<string, Set<string>>();
  const calls = new Map<string, CallSeen>();
  const leaveListeners: ((peer: string, queue: string) => void)[] = [];

  const join = (peer: string, queue: string): void => {
    let set = members.get(peer);
    if (set === undefined) members.set(peer, (set = new Set()));
    set.add(queue);
  };

  return {
    observe(event) {
      // Events are loose objects: an `outbound` has no `queue` of its own, an `abandon` no `peer`.
      const queue = typeof event.queue === 'string' && event.queue !== '' ? event.queue : undefined;
      const peer = typeof event.peer === 'string' && event.peer !== '' ? event.peer : undefined;
      if (event.event === 'agentstate') {
        if (peer !== undefined && queue !== undefined) {
          if (event.member !== false) join(peer, queue);
          else if (members.get(peer)?.delete(queue) === true) for (const listener of leaveListeners) listener(peer, queue);
        }
        return;
      }
      if (peer !== undefined && queue !== undefined && (event.event === 'ringing' || event.event === 'up')) join(peer, queue);
      if (!event.uniqueid) return;
      journal.record(event);
      let call = calls.get(event.uniqueid);
      if (call === undefined) {
        call = { queue, peers: new Set() };
        calls.set(event.uniqueid, call);
        if (calls.size > maxCalls) {
          const oldest = calls.keys().next().value;
          if (oldest !== undefined) calls.delete(oldest);
        }
      }
      call.queue ??= queue;
      if (peer !== undefined && call.peers.size < maxPeersPerCall) call.peers.add(peer);
    },
    queuesOf: (peer) => members.get(peer),
    peerInScope(scope, peer) {
      if (scope.peers.has(peer)) return true;
      const queues = members.get(peer);
      if (queues === undefined) return false;
      for (const q of queues) if (scope.queues.has(q)) return true;
      return false;
    },
    callInScope(scope, uniqueid) {
      const call = calls.get(uniqueid);
      if (call === undefined) return undefined;
      if (call.queue !== undefined && scope.queues.has(call.queue)) return true;
      for (const p of call.peers) if (scope.peers.has(p)) return true;
      return false;
    },
    onLeave(listener) {
      leaveListeners.push(listener);
    },
    replayEvents: (apply) => journal.replay(apply),
  };
}
