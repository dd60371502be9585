import type { StreamEvent } from '@shuttle-cti/protocol';
import type { OutboxItem, Store } from '@shuttle-cti/store';
import type { CallControlService, RemoteCallControl } from './call-control.js';
import type { CallTracker } from './call-tracker.js';
import type { Router } from './router.js';
import type { SupervisorOut } from './supervisor-out.js';
import type { VariablesService } from './variables.js';

/**
 * This hub's link to the other hubs, in the two steps of createHub's order: the link
 * before the parts that send through it (variables, router, call control), the cluster
 * once the parts it feeds exist (`join`). With config `redisUrl` it goes through Redis
 * (src/cluster/cluster.ts); a hub alone has `singleHub`, a link to no other hub.
 */
export interface ClusterLink {
  /** Changes made through the returned service drop the other hubs' cached copies. */
  shareVariables(variables: VariablesService): VariablesService;
  /** The router's relay: other hubs deliver a stored command; resolves with how many sessions got it there. */
  readonly relay: ((item: OutboxItem) => Promise<number>) | undefined;
  /** Call control carried out by the hub that runs the PBX source (protocol 1.2). */
  readonly callControl: RemoteCallControl | undefined;
  /** Builds the cluster on the parts it feeds. */
  join(parts: ClusterParts): Cluster;
}

/** What the cluster feeds: this hub's clients get every hub's events, commands and presences through them. */
export interface ClusterParts {
  store: Store;
  variables: VariablesService;
  tracker: CallTracker;
  router: Router;
  supervisorOut: SupervisorOut;
  /** The last seq in the store when the hub started (history, not live). */
  from: number;
  /** Hands events to this hub's clients (the live publish rule, src/core/live-publish.ts). */
  publishLocal: (events: StreamEvent[]) => void;
}

/** Sessions of a peer, counted across hubs (each hub tells its own supervisors). */
export interface SessionCount {
  /** This hub's count of `peer` changed to `local`; returns the count across hubs. */
  changed(peer: string, local: number): number;
}

export interface Cluster {
  /** Publishes the events this hub stored, in store order with every other hub's. */
  readonly publish: (events: StreamEvent[]) => void;
  readonly sessions: SessionCount;
  /** Carries out the call control the other hubs hand to this one. */
  serve(callControl: CallControlService): void;
  close(): Promise<void>;
}

/** A hub alone: nothing to share nor relay; its events go straight to its own clients. */
export const singleHub: ClusterLink = {
  shareVariables: (variables) => variables,
  relay: undefined,
  callControl: undefined,
  join: ({ publishLocal }) => ({
    publish: publishLocal,
    sessions: { changed: (_peer, local) => local },
    serve: () => undefined,
    close: () => Promise.resolve(),
  }),
};
