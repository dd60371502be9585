import { CtiError, ErrorCode, Limits, type StreamEvent } from '@shuttle-cti/protocol';
import type { AppendedEvent, UnnumberedEvent } from './store.js';

/** An event's `eventid`, checked at run time (events are loose objects); null when it has none. */
export function eventIdOf(event: UnnumberedEvent): string | null {
  const id: unknown = event.eventid;
  if (id === undefined) return null;
  if (typeof id !== 'string' || id.length === 0 || id.length > Limits.eventIdLength) {
    throw new CtiError(ErrorCode.INVALID_PAYLOAD, `eventid must be a string of 1 to ${Limits.eventIdLength} characters`, {
      field: 'eventid',
    });
  }
  return id;
}

/** The distinct ids a batch carries, to look up in one query. */
export function batchIds(events: readonly UnnumberedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = eventIdOf(event);
    if (id !== null) ids.add(id);
  }
  return [...ids];
}

/**
 * Splits a batch into the events to store (`fresh`, in order) and the repeats: of an id
 * already stored (`stored`), or of an earlier event of the same batch. `assemble` takes
 * the fresh events once numbered and returns one result per event of the batch.
 */
export function planAppend(
  events: readonly UnnumberedEvent[],
  stored: ReadonlyMap<string, StreamEvent>,
): { fresh: UnnumberedEvent[]; assemble: (numbered: readonly StreamEvent[]) => AppendedEvent[] } {
  const fresh: UnnumberedEvent[] = [];
  const firstInBatch = new Map<string, number>();
  const plan: Array<{ fresh: number } | { original: StreamEvent } | { repeatOf: number }> = [];
  for (const event of events) {
    const id = eventIdOf(event);
    const original = id === null ? undefined : stored.get(id);
    const earlier = id === null ? undefined : firstInBatch.get(id);
    if (original) plan.push({ original });
    else if (earlier !== undefined) plan.push({ repeatOf: earlier });
    else {
      if (id !== null) firstInBatch.set(id, fresh.length);
      plan.push({ fresh: fresh.length });
      fresh.push(event);
    }
  }
  return {
    fresh,
    assemble: (numbered) => {
      const at = (i: number): StreamEvent => {
        const event = numbered[i];
        if (!event) throw new Error(`append returned ${numbered.length} events for ${fresh.length}`);
        return event;
      };
      return plan.map((step) => {
        if ('fresh' in step) return at(step.fresh);
        const original = 'original' in step ? step.original : at(step.repeatOf);
        return { ...original, duplicate: true as const };
      });
    },
  };
}
