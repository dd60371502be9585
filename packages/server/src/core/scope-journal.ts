import { dayOf, parseSeconds, type CallEvent, type StreamEvent } from '@shuttle-cti/protocol';

/** What a scope's counters read of a call event (scope-stats.ts), and its scope test. */
export interface CountedEvent {
  event: CallEvent['event'];
  uniqueid: string;
  /** An ISO time, or just its UTC day (`YYYY-MM-DD`): the counters read only the day. */
  time: string;
  queue?: unknown;
  peer?: unknown;
  holdtime?: unknown;
}

/**
 * The most recent call events as a scope's counters read them, in memory, oldest first:
 * the counters of a scope that appears (its first supervisor connects) are counted from
 * here in one pass, not from the store. Bounded like the warm-up's read of the store
 * (warm-up.ts): the last `capacity` events, in one flat ring of a few slots per event
 * (event, UTC day, uniqueid, queue, peer, hold seconds), the strings shared.
 */
export interface ScopeJournal {
  /** Keeps a call event (an `agentstate` changes no counter and is not kept). */
  record(event: StreamEvent): void;
  /** Hands the events to `apply`, oldest first. One object is reused for all: read it, do not keep it. */
  replay(apply: (event: Readonly<CountedEvent>) => void): void;
}

const fields = 6;
/** Distinct names shared by the journal's slots; past this many the sharing starts again. */
const maxNames = 200_000;

export function createScopeJournal(capacity = 200_000): ScopeJournal {
  const slots: unknown[] = [];
  /** Where the next event goes, in events; the ring is full once `slots` holds `capacity`. */
  let next = 0;
  let day = '';
  const names = new Map<string, string>();
  const shared = (name: unknown): unknown => {
    if (typeof name !== 'string') return undefined;
    const known = names.get(name);
    if (known !== undefined) return known;
    if (names.size >= maxNames) names.clear();
    names.set(name, name);
    return name;
  };
  return {
    record(event) {
      // `ringend` and `agentstate` change no counter.
      if (event.event === 'ringend' || event.event === 'agentstate' || !event.uniqueid) return;
      if (day === '' || !event.time.startsWith(day)) day = dayOf(event.time);
      const at = next * fields;
      const hold = event.event === 'up' ? parseSeconds(event.holdtime) : undefined;
      if (slots.length < capacity * fields) slots.push(event.event, day, shared(event.uniqueid), shared(event.queue), shared(event.peer), hold);
      else {
        slots[at] = event.event;
        slots[at + 1] = day;
        slots[at + 2] = shared(event.uniqueid);
        slots[at + 3] = shared(event.queue);
        slots[at + 4] = shared(event.peer);
        slots[at + 5] = hold;
      }
      next = (next + 1) % capacity;
    },
    replay(apply) {
      const step: CountedEvent = { event: 'ringing', uniqueid: '', time: '' };
      const count = slots.length / fields;
      const first = count < capacity ? 0 : next;
      for (let i = 0; i < count; i++) {
        const at = ((first + i) % capacity) * fields;
        step.event = slots[at] as CountedEvent['event'];
        step.time = slots[at + 1] as string;
        step.uniqueid = slots[at + 2] as string;
        step.queue = slots[at + 3];
        step.peer = slots[at + 4];
        step.holdtime = slots[at + 5];
        apply(step);
      }
    },
  };
}
