import type { UnnumberedEvent } from '../src/store.js';

/** A peer rung for a queue call; `noAnswer` ends its ringing with that ringend reason. */
export interface Ring {
  peer: string;
  agentname?: string;
  /** Seconds after entering the queue. */
  at: number;
  noAnswer?: 'timeout' | 'busy' | 'unavailable' | 'answered-elsewhere' | 'caller-left';
}

export interface QueueCallPlan {
  uniqueid: string;
  queue: string;
  /** When the caller entered the queue, ms since the epoch. */
  enteredMs: number;
  rings: Ring[];
  /** The peer that answers `hold` seconds after entering and talks for `talk` (omit talk: still talking). */
  answer?: { peer: string; agentname?: string; hold: number; talk?: number; reason?: string };
  /** The caller hangs up after `hold` seconds without an answer. */
  abandon?: { hold: number };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const nameOf = (peer: string, given?: string): string => given ?? `Agent ${peer.replace(/^.*\//, '')}`;

/**
 * The events the hub stores for one queue call, as the AMI source produces them: a
 * `ringing` per member rung, `ringend` for those that did not answer, then `up` and
 * `hangup` (holdtime, talktime as strings) or `abandon`.
 */
export function queueCallEvents(plan: QueueCallPlan): UnnumberedEvent[] {
  const t = (seconds: number): string => iso(plan.enteredMs + seconds * 1000);
  const common = (peer: string, agentname?: string) => ({
    queue: plan.queue,
    agentname: nameOf(peer, agentname),
    agentnum: peer.replace(/^.*\//, ''),
    peer,
    direction: 'inbound',
    uniqueid: plan.uniqueid,
    callernum: '3334445555',
    variables: {},
  });
  const events: UnnumberedEvent[] = [];
  for (const ring of plan.rings) {
    events.push({ event: 'ringing', ...common(ring.peer, ring.agentname), ringing: true, time: t(ring.at) });
  }
  for (const ring of plan.rings) {
    if (ring.noAnswer === undefined) continue;
    const end = plan.answer?.hold ?? plan.abandon?.hold ?? ring.at + 15;
    events.push({ event: 'ringend', ...common(ring.peer, ring.agentname), reason: ring.noAnswer, ringend: true, time: t(Math.min(end, ring.at + 15)) });
  }
  const a = plan.answer;
  if (a) {
    const fields = { ...common(a.peer, a.agentname), holdtime: String(a.hold), ringtime: '2' };
    events.push({ event: 'up', ...fields, up: true, time: t(a.hold) });
    if (a.talk !== undefined) {
      events.push({
        event: 'hangup',
        ...fields,
        talktime: String(a.talk),
        reason: a.reason ?? 'agent',
        hangup: true,
        time: t(a.hold + a.talk),
      });
    }
  } else if (plan.abandon) {
    events.push({
      event: 'abandon',
      queue: plan.queue,
      direction: 'unmanaged',
      uniqueid: plan.uniqueid,
      callernum: '3334445555',
      holdtime: String(plan.abandon.hold),
      unmanaged: true,
      variables: {},
      time: t(plan.abandon.hold),
    });
  }
  return events;
}

/** An outbound call placed by `peer` at `atMs`. */
export function outboundEvent(uniqueid: string, peer: string, atMs: number): UnnumberedEvent {
  return {
    event: 'outbound',
    agentname: nameOf(peer),
    agentnum: peer.replace(/^.*\//, ''),
    direction: 'outbound',
    uniqueid,
    extension: '0612345678',
    callernum: peer.replace(/^.*\//, ''),
    peer,
    outbound: true,
    variables: {},
    time: iso(atMs),
  };
}

/** An `agentstate` event (PROTOCOL 1.2, Agent state), stored like the call events. */
export function agentStateEvent(peer: string, queue: string, paused: boolean, atMs: number, member = true): UnnumberedEvent {
  // Stored like the call events, as the hub's ingest hands it over (a loose object: the
  // uniqueid and variables are extra fields).
  return {
    event: 'agentstate',
    peer,
    agentname: nameOf(peer),
    queue,
    member,
    paused,
    ...(paused ? { reason: 'lunch' } : {}),
    status: 'idle',
    agentstate: true,
    uniqueid: `agentstate-${peer}-${queue}-${atMs}`,
    variables: {},
    time: iso(atMs),
  };
}

/** Events in time order (how they reach the store), ties kept in the order given. */
export function byTime(events: readonly UnnumberedEvent[]): UnnumberedEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => Date.parse(String(x.e.time)) - Date.parse(String(y.e.time)) || x.i - y.i)
    .map((x) => x.e);
}
