import type { CallEventInput } from '@shuttle-cti/protocol';
import type { CallEventSink, SourceLogger } from '../sink.js';
import type { CallTracker } from './call-tracker.js';
import { queueWait } from './catch-up.js';
import type { AmiClient } from './client.js';
import { amiField, type AmiMessage } from './parser.js';

export interface ResyncFlow {
  /** A new connection greeted us: a resync starts, and events wait until the hub said what it published. */
  connected(): void;
  /** An AMI event, in stream order. */
  event(message: AmiMessage): void;
  /** The last step before a call event goes to the sink (a late `up` gets the PBX's holdtime). */
  prepare(event: CallEventInput): Promise<CallEventInput>;
}

/**
 * The parts of a (re)connect that need the hub and the PBX to answer. After a restart
 * the tracker knows nothing: before it reads any event of the new connection, it takes
 * in what the hub published (`sink.calls()`, the hub's live view), so the resync knows
 * which calls were rung and answered. Events that arrive meanwhile are held, in order.
 */
export function createResyncFlow(deps: {
  tracker: CallTracker;
  client: Pick<AmiClient, 'action'>;
  sink: Pick<CallEventSink, 'calls'>;
  logger: SourceLogger;
  /** Feeds one AMI event to the tracker and delivers what it produces. */
  handle(message: AmiMessage): void;
}): ResyncFlow {
  const { tracker, sink, logger } = deps;
  let held: AmiMessage[] | undefined;

  return {
    connected() {
      tracker.beginResync();
      if (!sink.calls) return;
      const buffer: AmiMessage[] = [];
      held = buffer;
      sink
        .calls()
        .then(
          (calls) => tracker.adopt(calls),
          (error: unknown) => logger.warn({ err: error }, 'AMI: the hub could not tell which calls it published; resynchronising from what this process saw'),
        )
        .finally(() => {
          // A newer connection may hold its own events already: those wait for their turn.
          if (held === buffer) held = undefined;
          for (const message of buffer) deps.handle(message);
        });
    },
    event(message) {
      if (held) held.push(message);
      else deps.handle(message);
    },
    async prepare(event) {
      if (event.event !== 'up' || event.resync !== true || event.channel === undefined) return event;
      // app_queue sets QUEUEWAIT on the caller's channel when the call leaves the queue.
      try {
        const result = await deps.client.action({ Action: 'Getvar', Channel: event.channel, Variable: 'QUEUEWAIT' });
        const holdtime = queueWait(amiField(result.response, 'Value'));
        return holdtime === undefined ? event : { ...event, holdtime };
      } catch (error) {
        logger.debug({ err: error, uniqueid: event.uniqueid }, 'AMI: no QUEUEWAIT for a late up; holdtime "0"');
        return event;
      }
    },
  };
}
