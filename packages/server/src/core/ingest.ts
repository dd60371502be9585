import {
  CtiError,
  ErrorCode,
  Limits,
  agentStateInput,
  callEventInput,
  jsonByteLength,
  parseOrThrow,
  toCtiError,
  type CallEventInput,
  type CallEventName,
  type IngestResult,
  type StreamEvent,
  type StreamEventInput,
  type Variables,
  type WireError,
} from '@shuttle-cti/protocol';
import type { AppendedEvent, Store, UnnumberedEvent } from '@shuttle-cti/store';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { PipelineBacklog } from './pressure.js';
import type { Enricher } from '../webhooks/enrich.js';
import type { VariablesService } from './variables.js';

/** One result per event (protocol's `ingestResult`). */
export type { IngestResult };

export interface Ingest {
  /** Validates, numbers, stores, then publishes; one result per item, in order. */
  ingest(items: readonly unknown[]): Promise<IngestResult[]>;
  /** Resolves when everything accepted so far has been stored and published. */
  drain(): Promise<void>;
  /** What waits to be stored and published (for overload admission, core/pressure.ts). */
  backlog(): PipelineBacklog;
  /** True while the hub refuses sources for overload. */
  refusing(): boolean;
  /** Throws UNAVAILABLE when the hub is refusing sources already (before a request's body is read). */
  refuseEarly(): void;
}

interface Pending {
  event: UnnumberedEvent;
  acceptedAt: bigint;
  resolve: (result: IngestResult) => void;
}

const maxBatch = 500;

/** A call event as the store takes it (`agentstate` has no variables). */
type UnnumberedCallEvent = Extract<UnnumberedEvent, { event: CallEventName }>;

/** The event as the hub publishes it (but for `seq`): its flag set, its time and its call's variables. */
function withHubFields(input: CallEventInput, time: string, variables: Variables): UnnumberedCallEvent {
  // The variables a source sent are merged into the call's already: they go last, as the call's.
  const { variables: _sent, ...fields } = input;
  switch (fields.event) {
    case 'ringing':
      return { ...fields, ringing: true, time, variables };
    case 'up':
      return { ...fields, up: true, time, variables };
    case 'hangup':
      return { ...fields, hangup: true, time, variables };
    case 'abandon':
      return { ...fields, unmanaged: true, time, variables };
    case 'outbound':
      return { ...fields, outbound: true, time, variables };
    case 'ringend':
      return { ...fields, ringend: true, time, variables };
  }
}

/**
 * The ingest pipeline. Accepted events queue up and one worker stores them in batches
 * (everything that arrived while the previous batch was being written), so `seq`
 * order is publish order and store writes stay few under load.
 */
export function createIngest(deps: {
  store: Store;
  variables: VariablesService;
  publish: (events: StreamEvent[]) => void;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
  /** Overload admission: throws (UNAVAILABLE) when `count` more events may not come in now. */
  admit?: (count: number) => void;
  /** Overload admission: whether it refuses now, and a throw when it does. */
  refusing?: () => boolean;
  refuseEarly?: () => void;
  /** Webhook enrichment (protocol 1.2): a `ringing` waits for its caller look-up before it is stored. */
  enrich?: () => Enricher | undefined;
}): Ingest {
  const { store, variables, publish, metrics, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const queue: Pending[] = [];
  /** The batch being stored and published. */
  let inFlight: Pending[] = [];
  let working: Promise<void> | undefined;

  function validate(item: unknown, index: number, many: boolean): StreamEventInput {
    const where = many ? `events[${index}]` : 'event';
    if (jsonByteLength(item) > Limits.payloadBytes) {
      throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `${where}: larger than ${Limits.payloadBytes} bytes`);
    }
    // agentstate (protocol 1.2) rides the same numbered, stored stream as the call events.
    if (typeof item === 'object' && item !== null && 'event' in item && item.event === 'agentstate') {
      return parseOrThrow(agentStateInput, item, where);
    }
    return parseOrThrow(callEventInput, item, where);
  }

  async function normalise(input: StreamEventInput, time: string): Promise<UnnumberedEvent> {
    // agentstate is numbered and stored as it came (validated above), with its flag and time.
    if (input.event === 'agentstate') return { ...input, agentstate: true, time };
    // The look-up's variables are merged into the call's as if the source had sent them.
    const lookup = deps.enrich?.()?.lookup(input);
    const update = lookup ? { ...input.variables, ...(await lookup) } : input.variables;
    const vars = await variables.merge(input.uniqueid, update, time);
    return withHubFields(input, time, vars);
  }

  async function work(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight = batch;
      let stored: AppendedEvent[];
      try {
        stored = await store.appendEvents(batch.map((p) => p.event));
      } catch (error) {
        logger.error({ err: error }, 'store unavailable: events refused');
        const wire = new CtiError(ErrorCode.UNAVAILABLE, 'the event store is unavailable; retry later').toWire();
        for (const p of batch) p.resolve({ ok: false, error: wire });
        inFlight = [];
        continue;
      }
      // A repeat of an accepted eventid was neither stored nor is it published again.
      const fresh = stored.filter((event) => event.duplicate !== true);
      try {
        if (fresh.length > 0) publish(fresh);
      } catch (error) {
        logger.error({ err: error }, 'publishing events failed');
      }
      const done = process.hrtime.bigint();
      for (const [i, p] of batch.entries()) {
        const event = stored[i];
        if (!event) continue;
        if (event.duplicate === true) {
          p.resolve({ ok: true, seq: event.seq, duplicate: true });
          continue;
        }
        metrics.eventsIngested.inc({ event: event.event });
        metrics.ingestLatency.observe(Number(done - p.acceptedAt) / 1e9);
        if (event.event === 'hangup' || event.event === 'abandon') variables.forget(event.uniqueid);
        p.resolve({ ok: true, seq: event.seq });
      }
      inFlight = [];
    }
  }

  function rejection(error: unknown): WireError {
    const e = toCtiError(error);
    if (e.code !== ErrorCode.INTERNAL) return e.toWire();
    logger.error({ err: error }, 'ingest failed');
    return new CtiError(ErrorCode.UNAVAILABLE, 'the event store is unavailable; retry later').toWire();
  }

  function kick(): void {
    working ??= work().finally(() => {
      working = undefined;
      if (queue.length > 0) kick();
    });
  }

  return {
    async ingest(items) {
      // Refused as a whole, before anything is looked at: the source keeps it and retries.
      deps.admit?.(items.length);
      const many = items.length > 1;
      const time = now().toISOString();
      const results: Promise<IngestResult>[] = [];
      const accepted: Pending[] = [];
      // Items are taken in order, so the seq order of one request is the order it was sent in.
      for (const [index, item] of items.entries()) {
        let event: UnnumberedEvent;
        try {
          event = await normalise(validate(item, index, many), time);
        } catch (error) {
          metrics.eventsRejected.inc();
          results.push(Promise.resolve({ ok: false, error: rejection(error) }));
          continue;
        }
        const acceptedAt = process.hrtime.bigint();
        results.push(new Promise<IngestResult>((resolve) => accepted.push({ event, acceptedAt, resolve })));
      }
      // Queued together once all are validated: with a synchronous store (SQLite) the worker
      // writes as soon as it is kicked, so queueing item by item stored a request of 20
      // events in about 14 transactions; now a request is one batch, one transaction.
      if (accepted.length > 0) {
        queue.push(...accepted);
        kick();
      }
      return Promise.all(results);
    },
    async drain() {
      while (working) await working;
    },
    refusing: () => deps.refusing?.() ?? false,
    refuseEarly() {
      deps.refuseEarly?.();
    },
    backlog() {
      const oldest = inFlight[0] ?? queue[0];
      return {
        events: inFlight.length + queue.length,
        oldestMs: oldest ? Number(process.hrtime.bigint() - oldest.acceptedAt) / 1e6 : 0,
      };
    },
  };
}
