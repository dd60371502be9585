import type { CallEvent, ScopeMatcher } from '@shuttle-cti/protocol';

/** What a scope's counters read of a call event (scope-stats.ts), and its scope test. */
export interface CountedEvent {
  event: CallEvent['event'];
  uniqueid: string;
  time: string;
  queue?: unknown;
  peer?: unknown;
  holdtime?: unknown;
}

/**
 * What the hub knows for scope checks (protocol 1.2, "Scopes") beyond the event at hand:
 * which peers belong to which queues, and which queue and peers each recent call had.
 *
 * Queue membership comes from the PBX's own `agentstate` events (QueueStatus after each
 * connect, QueueMemberAdded/Removed), and, for a PBX that sends none (HTTP ingest, the
 * simulator), from the calls seen: a peer rung or answering for a queue is a member of it.
 * Both are bounded: the calls kept are the most recent `maxCalls`.
 *
 * For each call it also keeps the events a scope's counters count (all but `ringend`, and
 * a `ringing` of a peer already rung for it left out), so that the counters of a scope
 * that appears (its first supervisor connects) are counted from memory, not from the store.
 */
export interface ScopeIndex {
  observe(event: CallEvent): void;
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
  /**
   * Hands the counted events of the calls it keeps to `apply`, call by call, oldest call
   * first, each call's in order. One object is reused for all of them: read it, do not keep it.
   */
  replayCalls(apply: (event: Readonly<CountedEvent>) => void): void;
}

interface CallSeen {
  queue: string | undefined;
  peers: Set<string>;
  /** The counted events, flat: event, time, queue, peer, holdtime for each. */
  steps: unknown[];
  /** A hangup or abandon was kept: a `ringing` after it is kept even for a peer seen. */
  ended: boolean;
}

const maxPeersPerCall = 64;
const stepFields = 5;
const maxStepsPerCall = 128;

export function createScopeIndex(maxCalls = 50_000): ScopeIndex {
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
      const e = event as CallEvent & { queue?: unknown; peer?: unknown; member?: unknown };
      const queue = typeof e.queue === 'string' && e.queue !== '' ? e.queue : undefined;
      const peer = typeof e.peer === 'string' && e.peer !== '' ? e.peer : undefined;
      if ((event.event as string) === 'agentstate') {
        if (peer !== undefined && queue !== undefined) {
          if (e.member !== false) join(peer, queue);
          else if (members.get(peer)?.delete(queue) === true) for (const listener of leaveListeners) listener(peer, queue);
        }
        return;
      }
      if (peer !== undefined && queue !== undefined && (event.event === 'ringing' || event.event === 'up')) join(peer, queue);
      if (!event.uniqueid) return;
      let call = calls.get(event.uniqueid);
      if (call === undefined) {
        call = { queue, peers: new Set(), steps: [], ended: false };
        calls.set(event.uniqueid, call);
        if (calls.size > maxCalls) {
          const oldest = calls.keys().next().value;
          if (oldest !== undefined) calls.delete(oldest);
        }
      }
      call.queue ??= queue;
      const kind = event.event;
      // A peer rung again for the same queue (a ring-all strategy rings everyone each round)
      // changes no scope's counters: the call is already in progress wherever it counts.
      const repeat = kind === 'ringing' && !call.ended && peer !== undefined && call.peers.has(peer) && queue === call.queue;
      if (kind !== 'ringend' && !repeat && call.steps.length < maxStepsPerCall * stepFields) {
        call.steps.push(kind, event.time, queue, peer, event.event === 'up' ? event.holdtime : undefined);
        if (kind === 'hangup' || kind === 'abandon') call.ended = true;
      }
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
    replayCalls(apply) {
      const step: CountedEvent = { event: 'ringing', uniqueid: '', time: '', queue: undefined, peer: undefined, holdtime: undefined };
      for (const [uniqueid, call] of calls) {
        step.uniqueid = uniqueid;
        const steps = call.steps;
        for (let i = 0; i < steps.length; i += stepFields) {
          step.event = steps[i] as CountedEvent['event'];
          step.time = steps[i + 1] as string;
          step.queue = steps[i + 2];
          step.peer = steps[i + 3];
          step.holdtime = steps[i + 4];
          apply(step);
        }
      }
    },
  };
}
