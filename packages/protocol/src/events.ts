import { z } from 'zod';
import { Limits } from './limits.js';
import { peerName } from './peer.js';

/**
 * Call events, as the Shuttle CTI API publishes them: flat objects whose times and
 * numbers are strings. Unknown extra fields are kept (loose objects), never dropped.
 */

export const callEventNames = ['ringing', 'up', 'hangup', 'abandon', 'outbound', 'ringend'] as const;
export type CallEventName = (typeof callEventNames)[number];

export function isCallEventName(value: unknown): value is CallEventName {
  return typeof value === 'string' && callEventNames.some((name) => name === value);
}

const text = z.string().max(Limits.fieldLength);
const id = z.string().min(1).max(Limits.identifierLength);
/** A count of seconds, sent as a string ("4"), as the seed does. */
const seconds = z.string().max(32).regex(/^\d+(\.\d+)?$/, 'expected a number of seconds as a string, e.g. "4"');

/** Custom variables: per-call key/value strings. */
export const variablesSchema = z
  .record(z.string().min(1).max(Limits.identifierLength), z.string().max(Limits.fieldLength))
  .refine((v) => Object.keys(v).length <= Limits.variablesPerCall, {
    message: `at most ${Limits.variablesPerCall} custom variables per call`,
  });
export type Variables = z.infer<typeof variablesSchema>;

/**
 * What a source may add to any event (protocol 1.2): `eventid` makes ingest idempotent
 * (a repeat is answered with the original `seq` and not stored again); `resync` marks
 * an event the source only learnt of when it resynchronised with the PBX after a
 * reconnect, so it comes late and its times may be incomplete (docs/asterisk.md).
 */
export const sourceFields = {
  eventid: z.string().min(1).max(Limits.eventIdLength).optional(),
  resync: z.literal(true).optional(),
};

const agentCallFields = {
  queue: id,
  agentname: text,
  agentnum: text,
  peer: peerName,
  direction: text,
  uniqueid: id,
  context: text.optional(),
  extension: text.optional(),
  trunk: text.optional(),
  callernum: text,
  callername: text.optional(),
  sipname: text.optional(),
  channel: text.optional(),
  /** A source may send the call's custom variables with the event itself. */
  variables: variablesSchema.optional(),
  ...sourceFields,
};

export const ringingInput = z.looseObject({
  event: z.literal('ringing'),
  ...agentCallFields,
  ringing: z.literal(true).optional(),
});

export const upInput = z.looseObject({
  event: z.literal('up'),
  ...agentCallFields,
  holdtime: seconds,
  ringtime: seconds,
  up: z.literal(true).optional(),
});

export const hangupInput = z.looseObject({
  event: z.literal('hangup'),
  ...agentCallFields,
  holdtime: seconds,
  ringtime: seconds,
  talktime: seconds,
  reason: text.min(1),
  hangup: z.literal(true).optional(),
});

export const abandonInput = z.looseObject({
  event: z.literal('abandon'),
  queue: id,
  direction: text,
  uniqueid: id,
  callernum: text,
  callername: text.optional(),
  channel: text.optional(),
  holdtime: seconds,
  variables: variablesSchema.optional(),
  ...sourceFields,
  unmanaged: z.literal(true).optional(),
});

export const outboundInput = z.looseObject({
  event: z.literal('outbound'),
  integrationid: text.optional(),
  routeid: text.optional(),
  agentname: text,
  agentnum: text,
  direction: text,
  uniqueid: id,
  context: text.optional(),
  extension: text,
  trunk: text.optional(),
  callernum: text,
  channel: text.optional(),
  peer: peerName,
  sipname: text.optional(),
  variables: variablesSchema.optional(),
  ...sourceFields,
  outbound: z.literal(true).optional(),
});

export const ringendReasons = ['timeout', 'answered-elsewhere', 'caller-left', 'busy', 'unavailable'] as const;

export const ringendInput = z.looseObject({
  event: z.literal('ringend'),
  ...agentCallFields,
  reason: z.enum(ringendReasons),
  ringend: z.literal(true).optional(),
});

/** Any call event as a source sends it (before the hub numbers it). */
export const callEventInput = z.discriminatedUnion('event', [
  ringingInput,
  upInput,
  hangupInput,
  abandonInput,
  outboundInput,
  ringendInput,
]);
export type CallEventInput = z.infer<typeof callEventInput>;

/** What the hub adds to every event it accepts. */
const hubFields = {
  /** Hub-wide, strictly increasing; resume from it. */
  seq: z.number().int(),
  /** ISO 8601 time at which the hub accepted the event. */
  time: z.string(),
  /** The call's custom variables; `{}` if none. */
  variables: z.record(z.string(), z.string()),
};
export const hubFieldsSchema = z.object(hubFields);
export type HubFields = z.infer<typeof hubFieldsSchema>;

/** The events as the hub publishes them: numbered, timed, with their variables and their flag set. */
export const ringingEvent = ringingInput.extend({ ...hubFields, ringing: z.literal(true) });
export const upEvent = upInput.extend({ ...hubFields, up: z.literal(true) });
export const hangupEvent = hangupInput.extend({ ...hubFields, hangup: z.literal(true) });
export const abandonEvent = abandonInput.extend({ ...hubFields, unmanaged: z.literal(true) });
export const outboundEvent = outboundInput.extend({ ...hubFields, outbound: z.literal(true) });
export const ringendEvent = ringendInput.extend({ ...hubFields, ringend: z.literal(true) });
/** Any call event as clients receive it. */
export const callEvent = z.discriminatedUnion('event', [ringingEvent, upEvent, hangupEvent, abandonEvent, outboundEvent, ringendEvent]);

export type RingingEvent = z.infer<typeof ringingEvent>;
export type UpEvent = z.infer<typeof upEvent>;
export type HangupEvent = z.infer<typeof hangupEvent>;
export type AbandonEvent = z.infer<typeof abandonEvent>;
export type OutboundEvent = z.infer<typeof outboundEvent>;
export type RingendEvent = z.infer<typeof ringendEvent>;

/** Call events as integrations receive them, by name. */
export interface CallEventMap {
  ringing: RingingEvent;
  up: UpEvent;
  hangup: HangupEvent;
  abandon: AbandonEvent;
  outbound: OutboundEvent;
  ringend: RingendEvent;
}
export type CallEvent = CallEventMap[CallEventName];

/** The boolean flag each event carries, named after it (abandon's is `unmanaged`, as in the seed). */
export const eventFlag: Record<CallEventName, string> = {
  ringing: 'ringing',
  up: 'up',
  hangup: 'hangup',
  abandon: 'unmanaged',
  outbound: 'outbound',
  ringend: 'ringend',
};
