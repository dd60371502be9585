import type { CallEventInput } from '@shuttle-cti/protocol';
import { amiEventId } from './event-ids.js';
import type { VariableSet } from './variables.js';

/** What the tracker knows about the caller of a queue call (its channel's fields). */
export interface CallerInfo {
  uniqueid: string;
  channel?: string;
  callernum?: string;
  callername?: string;
  context?: string;
  extension?: string;
}

/** A queue member rung for a call (one per member channel, so a member rung twice is two). */
export interface Member {
  /** The member channel's Uniqueid (`DestUniqueid`), or its interface when unknown. */
  key: string;
  /** The member's interface, e.g. `IAX2/1000`. */
  interface: string;
  name?: string;
  queue?: string;
  /** `ringend` sent, or it answered: nothing more to say about its ringing. */
  done: boolean;
}

export interface Call {
  caller: CallerInfo;
  queue?: string;
  vars: VariableSet;
  members: Map<string, Member>;
  /** A member answered (a `DialEnd ANSWER` or `AgentConnect`). */
  answered: boolean;
  /** The `up` published (holdtime known when this process saw it, or the hub reported it). */
  up?: { member: Member; ringtime: string; holdtime?: string };
  /** Resync generation in which the call was last seen. */
  seen: number;
}

/**
 * `IAX2/1000` → `1000`, `SIP/andrea.bianco` → `andrea.bianco`,
 * `Local/1000@agents/n` → `1000`: the interface's resource, which Shuttle calls
 * `agentnum` and `sipname`.
 */
export function resourceOf(iface: string): string {
  const slash = iface.indexOf('/');
  const resource = slash === -1 ? iface : iface.slice(slash + 1);
  return resource.split(/[@/]/)[0] ?? resource;
}

/** `IAX2/1000-6769` → `IAX2/1000`, `PJSIP/1000-0000001a` → `PJSIP/1000`: a channel's device. */
export function peerOfChannel(channel: string): string {
  const bare = channel.replace(/;\d+$/, '');
  const slash = bare.indexOf('/');
  const dash = bare.lastIndexOf('-');
  return dash > slash ? bare.slice(0, dash) : bare;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The fields every queue-call event of a member shares, in the seed's order. */
function memberFields(call: Call, member: Member) {
  const { caller } = call;
  const sipname = resourceOf(member.interface);
  return {
    queue: member.queue ?? call.queue ?? '',
    agentname: member.name ?? member.interface,
    agentnum: sipname,
    peer: member.interface,
    direction: 'inbound',
    uniqueid: caller.uniqueid,
    ...optional('context', caller.context),
    ...optional('extension', caller.extension),
    ...optional('trunk', caller.channel),
    callernum: caller.callernum ?? '',
    ...optional('callername', caller.callername),
    sipname,
    ...optional('channel', caller.channel),
  };
}

export function ringingEvent(call: Call, member: Member): CallEventInput {
  return { event: 'ringing', ...memberFields(call, member), ringing: true, variables: call.vars.take(), eventid: amiEventId(call.caller.uniqueid, 'ringing', member.key) };
}

export type RingendReason = Extract<CallEventInput, { event: 'ringend' }>['reason'];

export function ringendEvent(call: Call, member: Member, reason: RingendReason): CallEventInput {
  return {
    event: 'ringend',
    ...memberFields(call, member),
    reason,
    ringend: true,
    variables: call.vars.take(),
    eventid: amiEventId(call.caller.uniqueid, 'ringend', member.key),
  };
}

export function upEvent(call: Call, member: Member, holdtime: string, ringtime: string): CallEventInput {
  return {
    event: 'up',
    ...memberFields(call, member),
    holdtime,
    ringtime,
    up: true,
    variables: call.vars.take(),
    eventid: amiEventId(call.caller.uniqueid, 'up', member.key),
  };
}

export function hangupEvent(
  call: Call,
  member: Member,
  times: { holdtime: string; ringtime: string; talktime: string },
  reason: string,
): CallEventInput {
  return {
    event: 'hangup',
    ...memberFields(call, member),
    ...times,
    reason,
    hangup: true,
    variables: call.vars.take(),
    eventid: amiEventId(call.caller.uniqueid, 'hangup', member.key),
  };
}

export function abandonEvent(call: Call, queue: string, holdtime: string): CallEventInput {
  const { caller } = call;
  return {
    event: 'abandon',
    queue,
    direction: 'unmanaged',
    uniqueid: caller.uniqueid,
    callernum: caller.callernum ?? '',
    ...optional('callername', caller.callername),
    ...optional('channel', caller.channel),
    holdtime,
    variables: call.vars.take(),
    unmanaged: true,
    eventid: amiEventId(caller.uniqueid, 'abandon', queue),
  };
}

/** An agent's own call out: the agent's channel gives the call, the dialled side the trunk. */
export function outboundEvent(
  agent: Required<Pick<CallerInfo, 'uniqueid' | 'channel'>> & CallerInfo,
  trunk: string | undefined,
  vars: VariableSet,
): CallEventInput {
  const peer = peerOfChannel(agent.channel);
  return {
    event: 'outbound',
    agentname: agent.callername ?? '',
    agentnum: agent.callernum ?? '',
    direction: 'outbound',
    uniqueid: agent.uniqueid,
    ...optional('context', agent.context),
    extension: agent.extension ?? '',
    ...optional('trunk', trunk),
    callernum: agent.callernum ?? '',
    channel: agent.channel,
    peer,
    sipname: resourceOf(peer),
    outbound: true,
    variables: vars.take(),
    eventid: amiEventId(agent.uniqueid, 'outbound'),
  };
}
