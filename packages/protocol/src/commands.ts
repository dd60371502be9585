import { z } from 'zod';
import { wireError } from './errors.js';
import { Limits } from './limits.js';
import { peerName } from './peer.js';

/** An absolute http: or https: URL; anything else (javascript:, data:, relative) is refused. */
export const httpUrl = z
  .string()
  .min(1, 'a URL is required')
  .max(Limits.urlLength, `a URL may have at most ${Limits.urlLength} characters`)
  .refine(isHttpUrl, 'must be an absolute http: or https: URL');

export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.length > 0;
  } catch {
    return false;
  }
}

const peer = peerName;
/** Optional client-chosen id: the same id sent twice is carried out once. */
const commandId = z.string().min(1).max(Limits.commandIdLength).optional();

export const wakeupModes = ['new_tab', 'new_window', 'new_frame'] as const;
export type WakeupMode = (typeof wakeupModes)[number];

export const notificationTypes = ['info', 'success', 'warning', 'error'] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** `wakeup(url, peer, mode)`: the agent(s) of `peer` open `url`. */
export const agentCtiCommand = z.object({
  url: httpUrl,
  peer,
  mode: z.enum(wakeupModes),
  id: commandId,
});
export type AgentCtiCommand = z.infer<typeof agentCtiCommand>;

/** `notification(peer, type, title, body)`. */
export const agentCtiNotificationCommand = z.object({
  peer,
  type: z.enum(notificationTypes),
  title: z.string().max(Limits.notificationTitleLength),
  body: z.string().max(Limits.notificationBodyLength),
  id: commandId,
});
export type AgentCtiNotificationCommand = z.infer<typeof agentCtiNotificationCommand>;

/** `pushevent(appname, data, reference, url)`: a row in the Integration Realtime view. */
export const realtimeCtiCommand = z.object({
  type: z.string().min(1, 'the integration name is required').max(Limits.identifierLength),
  channel: z.record(z.string(), z.unknown()),
  reference: z.string().max(Limits.fieldLength),
  url: z.union([httpUrl, z.literal('')]).optional(),
  id: commandId,
});
export type RealtimeCtiCommand = z.infer<typeof realtimeCtiCommand>;

/** `CustomVariables`: the custom variables of a call. */
export const customVariablesRequest = z.object({
  uniqueid: z.string().min(1).max(Limits.identifierLength),
});

/** Any ack that failed: `{ ok: false, error }`. */
export const failedAck = z.object({ ok: z.literal(false), error: wireError });

/** The hub's answer to a command sent with an ack callback. */
export const commandAck = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    id: z.string(),
    /** Sessions (or rows) that got it now. */
    delivered: z.number().int(),
    /** Kept in the outbox for a peer with no session. */
    queued: z.number().int(),
    /** The same id was carried out before; nothing was done again. */
    duplicate: z.boolean().exactOptional(),
  }),
  failedAck,
]);
export type CommandAck = z.infer<typeof commandAck>;

/** The answer to `CustomVariables`. */
export const variablesAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), variables: z.record(z.string(), z.string()) }),
  failedAck,
]);
export type VariablesAck = z.infer<typeof variablesAck>;

/** AgentCTI as delivered to an agent session. */
export const agentCtiDelivery = z.object({
  id: z.string(),
  url: z.string(),
  peer: z.string(),
  mode: z.enum(wakeupModes),
  /** ISO time the hub accepted the command. */
  time: z.string(),
});
export type AgentCtiDelivery = z.infer<typeof agentCtiDelivery>;

/** AgentCTINotification as delivered to an agent session. */
export const agentNotificationDelivery = z.object({
  id: z.string(),
  peer: z.string(),
  type: z.enum(notificationTypes),
  title: z.string(),
  body: z.string(),
  time: z.string(),
});
export type AgentNotificationDelivery = z.infer<typeof agentNotificationDelivery>;

/** An Integration Realtime row, as stored and pushed to supervisors. */
export const realtimeRow = z.object({
  id: z.string(),
  type: z.string(),
  channel: z.record(z.string(), z.unknown()),
  reference: z.string(),
  url: z.string(),
  time: z.string(),
});
export type RealtimeRow = z.infer<typeof realtimeRow>;

export const agentAck = z.object({ id: z.string().min(1).max(Limits.commandIdLength + 64) });

/** The hub's answer to an agent's `ack` (when sent with a callback). */
export const agentAckResult = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), failedAck]);
export type AgentAckResult = z.infer<typeof agentAckResult>;
