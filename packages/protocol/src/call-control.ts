import { z } from 'zod';
import { Limits } from './limits.js';
import { failedAck } from './commands.js';
import { sourceFields } from './events.js';

/**
 * Call control (protocol 1.2): commands that act on the PBX. Every value here may end up
 * in an AMI header, where a CR or LF would start a header of the caller's choosing, so
 * each string is bounded and refuses control characters before anything is sent.
 */

const controlChars = /[\u0000-\u001f\u007f]/;
const noControl = (value: string): boolean => !controlChars.test(value);
const noControlMessage = 'must not contain CR, LF or other control characters';

/** A bounded string with no CR, LF or other control character. */
const pbxText = (max: number) => z.string().max(max, `at most ${max} characters`).refine(noControl, noControlMessage);

export const CallControlLimits = {
  numberLength: 40,
  extensionLength: 80,
  reasonLength: 128,
  queueLength: 128,
  nameLength: 128,
  calleridLength: 128,
  variableNameLength: 64,
  variableValueLength: 1024,
  variables: 32,
  maxTimeoutSeconds: 120,
  defaultTimeoutSeconds: 30,
} as const;

/** A peer is `TECH/resource` (`SIP/andrea.bianco`, `IAX2/1000`): no spaces, commas or `&` that would widen a dial string. */
export const pbxPeer = z
  .string()
  .min(1, 'a peer is required')
  .max(Limits.identifierLength)
  .refine(noControl, noControlMessage)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*\/[A-Za-z0-9._@:+*#=-]+$/, 'must be a peer like SIP/andrea.bianco');

/** Digits and `+*#`. */
export const dialNumber = z
  .string()
  .min(1, 'a number is required')
  .max(CallControlLimits.numberLength, `at most ${CallControlLimits.numberLength} characters`)
  .refine(noControl, noControlMessage)
  .regex(/^[0-9+*#]+$/, 'only digits and + * # are allowed');

/** A number, or an extension name (letters, digits, `_ . -`). */
export const transferTarget = z
  .string()
  .min(1, 'a target is required')
  .max(CallControlLimits.extensionLength, `at most ${CallControlLimits.extensionLength} characters`)
  .refine(noControl, noControlMessage)
  .regex(/^[0-9+*#]+$|^[A-Za-z0-9_.-]+$/, 'must be a number (digits and + * #) or an extension name');

export const callUniqueid = z.string().min(1, 'a uniqueid is required').max(Limits.identifierLength).refine(noControl, noControlMessage);

export const queueName = z
  .string()
  .min(1, 'a queue is required')
  .max(CallControlLimits.queueLength, `at most ${CallControlLimits.queueLength} characters`)
  .refine(noControl, noControlMessage)
  .regex(/^[^\s,|]+$/, 'must not contain spaces, commas or |');

/** Channel variables of a dialled call; a comma would split one AMI `Variable` header into two. */
export const dialVariables = z
  .record(
    z
      .string()
      .max(CallControlLimits.variableNameLength)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable names are letters, digits and _'),
    pbxText(CallControlLimits.variableValueLength).refine((v) => !v.includes(','), 'must not contain a comma'),
  )
  .refine((v) => Object.keys(v).length <= CallControlLimits.variables, `at most ${CallControlLimits.variables} variables`);

const commandId = z.string().min(1).max(Limits.commandIdLength).refine(noControl, noControlMessage).optional();

/** `CallDial`: `peer`'s phone rings; once answered, `number` is dialled. */
export const callDialCommand = z.object({
  peer: pbxPeer,
  number: dialNumber,
  variables: dialVariables.optional(),
  callerid: pbxText(CallControlLimits.calleridLength).optional(),
  /** Seconds the agent's phone may ring; default 30. */
  timeout: z.number().int().min(1).max(CallControlLimits.maxTimeoutSeconds).optional(),
  id: commandId,
});
export type CallDialCommand = z.infer<typeof callDialCommand>;

/** `CallHangup`: hangs up the call's channels. */
export const callHangupCommand = z.object({ uniqueid: callUniqueid, id: commandId });
export type CallHangupCommand = z.infer<typeof callHangupCommand>;

export const transferModes = ['blind', 'attended'] as const;
export type TransferMode = (typeof transferModes)[number];

/**
 * `CallTransfer`: blind (the caller is sent to `to`) or attended (the agent consults `to`
 * first; hanging up completes it). `mode: 'cancel'` (a v1.2 precision) ends the attended
 * transfer's consultation: the agent is back with the caller; it takes no `to`.
 */
export const callTransferCommand = z.discriminatedUnion('mode', [
  z.object({ uniqueid: callUniqueid, to: transferTarget, mode: z.enum(transferModes), id: commandId }),
  z.object({ uniqueid: callUniqueid, mode: z.literal('cancel'), id: commandId }),
]);
export type CallTransferCommand = z.infer<typeof callTransferCommand>;

/** `AgentPause`: pauses or unpauses `peer` in every queue, or in `queue` only. */
export const agentPauseCommand = z.object({
  peer: pbxPeer,
  paused: z.boolean(),
  reason: pbxText(CallControlLimits.reasonLength).optional(),
  queue: queueName.optional(),
  id: commandId,
});
export type AgentPauseCommand = z.infer<typeof agentPauseCommand>;

/** `AgentQueue`: `member: true` joins `queue`, `false` leaves it. */
export const agentQueueCommand = z.object({
  peer: pbxPeer,
  queue: queueName,
  member: z.boolean(),
  name: pbxText(CallControlLimits.nameLength).optional(),
  penalty: z.number().int().min(0).max(1000).optional(),
  id: commandId,
});
export type AgentQueueCommand = z.infer<typeof agentQueueCommand>;

export const callControlCommandNames = ['CallDial', 'CallHangup', 'CallTransfer', 'AgentPause', 'AgentQueue'] as const;
export type CallControlCommandName = (typeof callControlCommandNames)[number];

/** The schema of each call-control command, by name. */
export const callControlSchemas = {
  CallDial: callDialCommand,
  CallHangup: callHangupCommand,
  CallTransfer: callTransferCommand,
  AgentPause: agentPauseCommand,
  AgentQueue: agentQueueCommand,
} as const;

export interface CallControlCommandMap {
  CallDial: CallDialCommand;
  CallHangup: CallHangupCommand;
  CallTransfer: CallTransferCommand;
  AgentPause: AgentPauseCommand;
  AgentQueue: AgentQueueCommand;
}

/** A call-control command with its name: a check of `name` narrows `command`. */
export type CallControlRequest = { [N in CallControlCommandName]: { name: N; command: CallControlCommandMap[N] } }[CallControlCommandName];

/** A successful call-control ack; `uniqueid` only for `CallDial`. */
export const callControlOk = z.object({
  ok: z.literal(true),
  id: z.string(),
  uniqueid: z.string().optional(),
});
export type CallControlOk = z.infer<typeof callControlOk>;
/** The ack (and HTTP answer) of a call-control command. */
export const callControlAck = z.discriminatedUnion('ok', [callControlOk, failedAck]);
export type CallControlAck = z.infer<typeof callControlAck>;
/** `CallDial`'s ack: on success, the `uniqueid` this call's events will carry. */
export const callDialAck = z.discriminatedUnion('ok', [callControlOk.extend({ uniqueid: z.string() }), failedAck]);
export type CallDialAck = z.infer<typeof callDialAck>;

/** The Asterisk device state of a queue member, in words. */
export const memberStatuses = [
  'unknown',
  'idle',
  'in-use',
  'busy',
  'invalid',
  'unavailable',
  'ringing',
  'ringing-in-use',
  'on-hold',
] as const;

/** `agentstate` as a source sends it: one queue of one peer (with `eventid`, `resync` as any event may). */
const agentStateFields = {
  event: z.literal('agentstate'),
  peer: z.string().min(1).max(Limits.identifierLength),
  agentname: z.string().max(Limits.fieldLength).optional(),
  queue: z.string().min(1).max(Limits.identifierLength),
  member: z.boolean(),
  paused: z.boolean(),
  reason: z.string().max(Limits.fieldLength).optional(),
  status: z.string().min(1).max(64),
  ...sourceFields,
};
export const agentStateInput = z.looseObject({ ...agentStateFields, agentstate: z.literal(true).optional() });
export type AgentStateInput = z.infer<typeof agentStateInput>;

/**
 * `agentstate` as clients receive it: numbered and timed like the call events, with the
 * fields the source sent kept (a loose object, as the call events are); no `variables`.
 */
export const agentStateEvent = agentStateInput.extend({ agentstate: z.literal(true), seq: z.number().int(), time: z.string() });
export type AgentStateEvent = z.infer<typeof agentStateEvent>;

/**
 * What a PBX source that can act offers the hub. Each method resolves once the PBX has
 * accepted the action, or rejects with a CtiError (`NOT_FOUND`, `PBX_ERROR`, `TIMEOUT`, ...).
 */
export interface CallControl {
  /** `channelId` becomes the uniqueid of the dialled call. */
  dial(command: CallDialCommand & { channelId: string }): Promise<{ uniqueid: string }>;
  /** `leg: 'agent'` hangs up the agent's channel (an agent's own Hang up), otherwise the caller's. */
  hangup(command: CallHangupCommand, leg?: 'agent' | 'caller'): Promise<void>;
  transfer(command: CallTransferCommand): Promise<void>;
  pause(command: AgentPauseCommand): Promise<void>;
  queue(command: AgentQueueCommand): Promise<void>;
  /** Whether `peer` is on the call `uniqueid` now (an agent may only act on its own call). */
  peerOnCall(uniqueid: string, peer: string): boolean;
}

/** What the supervisors' `agent` presence adds (protocol 1.2), from the `agentstate` events. */
export const agentQueueState = z.object({
  /** Paused in at least one of its queues. */
  paused: z.boolean().optional(),
  /** The reason of the newest pause. */
  reason: z.string().optional(),
  /** ISO time the agent went from ready to paused. */
  pausedSince: z.string().optional(),
  /** The queues it is a member of. */
  queues: z.array(z.string()).optional(),
});
export type AgentQueueState = z.infer<typeof agentQueueState>;

/** An agent's own pause and queues as the hub knows them when it connects (its `welcome`). */
export const agentWelcomeState = agentQueueState.extend({
  /** The queues it is paused in (a pause may concern one queue only). */
  pausedQueues: z.array(z.string()).optional(),
});
export type AgentWelcomeState = z.infer<typeof agentWelcomeState>;

/** What an agent's `welcome` adds (protocol 1.2): whether call control is possible, and the pause reasons to offer. */
export const callControlWelcome = z.object({
  callControl: z.boolean().optional(),
  pauseReasons: z.array(z.string()).optional(),
  agentsManageQueues: z.boolean().optional(),
  /** Agents: their own pause state and queues now, so a panel need not wait for the next `agentstate`. */
  agent: agentWelcomeState.optional(),
});
export type CallControlWelcome = z.infer<typeof callControlWelcome>;
