import type { AgentPresence, StreamEvent } from '@shuttle-cti/protocol';
import type { CallTracker } from './call-tracker.js';
import type { Fanout } from './fanout.js';

/** Where one batch of events goes out on this hub (the hub gives socket.io's rooms). */
export interface LiveTargets {
  /** The supervisors of this hub: an agent's presence changed. */
  presence(update: AgentPresence): void;
  /** The agent sessions of `peer` on this hub. */
  peer(peer: string, event: StreamEvent): void;
}

/**
 * The live publish rule, for the events of one stored batch in `seq` order: each one
 * updates the live floor (its presence changes go to the supervisors), reaches the agents
 * of its peer, then the whole batch reaches the subscribers (integrations, supervisors)
 * through the fan-out. Local only: with several hubs each one publishes every event to
 * its own clients (src/cluster).
 */
export function createLivePublish(deps: {
  tracker: CallTracker;
  fanout: Fanout;
  /** The targets for one batch (made once per batch, so each emit reuses them). */
  targets: () => LiveTargets;
  /** Each event, before the floor and the agents get it. */
  published: (event: StreamEvent) => void;
  /** After the batch went out (the webhooks' delivery is woken). */
  after?: () => void;
}): (events: StreamEvent[]) => void {
  const { tracker, fanout } = deps;
  return (events) => {
    const targets = deps.targets();
    for (const event of events) {
      deps.published(event);
      for (const presence of tracker.apply(event)) targets.presence(presence);
      if ('peer' in event && typeof event.peer === 'string') targets.peer(event.peer, event);
    }
    fanout.publish(events);
    deps.after?.();
  };
}
