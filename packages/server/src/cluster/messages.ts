import { agentCtiDelivery, agentNotificationDelivery } from '@shuttle-cti/protocol';
import { z } from 'zod';

/**
 * The messages hubs send each other through Redis (socket.io server-side emits). They are
 * parsed like any other input: a hub of another version, or anything else publishing on the
 * same channels, can never make this one throw.
 */
export const clusterEvents = {
  /** Events up to `seq` are stored (the doorbell). */
  seq: 'shuttle:seq',
  /** An agent command stored by one hub, for the sessions of the others; acked with a count. */
  command: 'shuttle:command',
  /** A call's custom variables changed: drop the cached copy. */
  variables: 'shuttle:variables',
  presenceDelta: 'shuttle:presence-delta',
  presenceHeartbeat: 'shuttle:presence-heartbeat',
  presenceRequest: 'shuttle:presence-request',
  presenceTable: 'shuttle:presence-table',
  bye: 'shuttle:bye',
} as const;

const hubId = z.string().min(1).max(64);
const count = z.number().int().min(0).max(1_000_000);
const version = z.number().int().min(0);
const peer = z.string().min(1).max(256);

export const seqMessage = z.object({ hub: hubId, seq: z.number().int().min(0) });

export const commandMessage = z.object({
  hub: hubId,
  item: z.discriminatedUnion('kind', [
    z.object({ id: z.string().min(1), peer, kind: z.literal('AgentCTI'), payload: agentCtiDelivery }),
    z.object({ id: z.string().min(1), peer, kind: z.literal('AgentCTINotification'), payload: agentNotificationDelivery }),
  ]),
});

export const variablesMessage = z.object({ hub: hubId, uniqueid: z.string().min(1) });

export const presenceDeltaMessage = z.object({ hub: hubId, version, peer, count });
export const presenceHeartbeatMessage = z.object({ hub: hubId, version });
export const presenceRequestMessage = z.object({ hub: hubId, to: hubId });
export const presenceTableMessage = z.object({ hub: hubId, version, peers: z.array(z.tuple([peer, count])) });
export const byeMessage = z.object({ hub: hubId });

export type PresenceTable = z.infer<typeof presenceTableMessage>;
