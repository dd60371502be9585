import type { CallEventInput } from '@shuttle-cti/protocol';
import { silentLogger, type PublishedCall, type SourceLogger } from '../sink.js';
import {
  abandonEvent,
  hangupEvent,
  outboundEvent,
  ringendEvent,
  ringingEvent,
  upEvent,
  type Call,
  type Member,
  type RingendReason,
} from './call-fields.js';
import { isAmiEvent, type AmiEvent, type ChannelHeaders, type DestChannelHeaders } from './events.js';
import type { AmiMessage } from './parser.js';
import { adoptedCall } from './adopt.js';
import { createResync, type Resync } from './resync.js';
import { createVariableSet, type VariableSet } from './variables.js';

export interface CallTrackerOptions {
  /** Channel variables that become the calls' custom variables. */
  customVariables?: readonly string[];
  /** Dialplan contexts whose calls are agents calling out. */
  outboundContexts?: readonly string[];
  logger?: SourceLogger;
  /** Calls followed at once; past it the oldest is forgotten (a call whose end was never seen). */
  maxCalls?: number;
}

/** Turns AMI events into call events; pure and synchronous, so it follows the stream's order. */
export interface CallTracker {
  /** Feeds one AMI event (list items of `QueueStatus`/`CoreShowChannels` included); returns the call events it causes. */
  handle(message: AmiMessage): CallEventInput[];
  /**
   * Starts a resynchronisation after (re)connecting: the `QueueStatus` and
   * `CoreShowChannels` lists that follow rebuild the calls in progress, and when the
   * channel list is complete, calls neither listed nor seen since are forgotten.
   */
  beginResync(): void;
  /** The lists could not be had (e.g. no permission): keep what is known. */
  abortResync(): void;
  /**
   * Takes in the calls the hub has published and this process does not know (it
   * restarted): the resynchronisation that follows then tells what they missed.
   */
  adopt(calls: readonly PublishedCall[]): void;
  /** Calls in progress. */
  readonly size: number;
}

interface ChannelRecord {
  vars: VariableSet;
  seen: number;
}

const noVariables: VariableSet = createVariableSet(new Set());

export function createCallTracker(options: CallTrackerOptions = {}): CallTracker {
  const names = new Set(options.customVariables ?? []);
  const outboundContexts = new Set(options.outboundContexts ?? ['from-internal']);
  const logger = options.logger ?? silentLogger;
  const maxCalls = options.maxCalls ?? 10_000;
  const calls = new Map<string, Call>();
  /** Member channel Uniqueid → caller Uniqueid, to find a call by `DestUniqueid`. */
  const memberIndex = new Map<string, string>();
  const channels = new Map<string, ChannelRecord>();
  const outboundSent = new Set<string>();
  let generation = 0;
  let resync: Resync | undefined;

  function channel(uniqueid: string): ChannelRecord {
    let record = channels.get(uniqueid);
    if (!record) {
      record = { vars: names.size === 0 ? noVariables : createVariableSet(names), seen: generation };
      channels.set(uniqueid, record);
    }
    record.seen = generation;
    return record;
  }

  function ensureCall(event: ChannelHeaders & { Uniqueid: string; Queue?: string }): Call {
    let call = calls.get(event.Uniqueid);
    if (!call) {
      call = { caller: { uniqueid: event.Uniqueid }, vars: channel(event.Uniqueid).vars, members: new Map(), answered: false, seen: generation };
      calls.set(event.Uniqueid, call);
      evictOldest();
    }
    const { caller } = call;
    // The first sighting wins: later events of a transferred caller show the new context.
    if (caller.channel === undefined && event.Channel !== undefined) caller.channel = event.Channel;
    if (caller.callernum === undefined && event.CallerIDNum !== undefined) caller.callernum = event.CallerIDNum;
    if (caller.callername === undefined && event.CallerIDName !== undefined) caller.callername = event.CallerIDName;
    if (caller.context === undefined && event.Context !== undefined) caller.context = event.Context;
    if (caller.extension === undefined && event.Exten !== undefined) caller.extension = event.Exten;
    if (call.queue === undefined && event.Queue !== undefined) call.queue = event.Queue;
    return call;
  }

  function evictOldest(): void {
    if (calls.size <= maxCalls) return;
    const oldest = calls.values().next();
    if (oldest.done) return;
    logger.warn({ uniqueid: oldest.value.caller.uniqueid }, `AMI: more than ${maxCalls} calls in progress; forgetting the oldest`);
    endCall(oldest.value);
  }

  function endCall(call: Call): void {
    calls.delete(call.caller.uniqueid);
    for (const key of call.members.keys()) memberIndex.delete(key);
  }

  function findCall(event: ChannelHeaders & DestChannelHeaders): Call | undefined {
    if (event.Uniqueid !== undefined) {
      const call = calls.get(event.Uniqueid);
      if (call) return call;
    }
    // AgentComplete can come without any caller field once the caller's channel is gone.
    const owner = event.DestUniqueid === undefined ? undefined : memberIndex.get(event.DestUniqueid);
    return owner === undefined ? undefined : calls.get(owner);
  }

  /**
   * The answered call of a member, by `Queue` + `Interface`: an `AgentComplete` that comes
   * after both channels hung up may carry nothing else (fixtures/asterisk-ami-actions c2c).
   * A member talks on one call of a queue at a time; the newest one wins.
   */
  function answeredCallOf(queue: string | undefined, iface: string | undefined): Call | undefined {
    if (queue === undefined || iface === undefined) return undefined;
    let found: Call | undefined;
    for (const call of calls.values()) {
      if (call.up !== undefined && call.up.member.interface === iface && (call.up.member.queue ?? call.queue) === queue) found = call;
    }
    return found;
  }

  function memberOf(call: Call, event: DestChannelHeaders & { Interface?: string }): Member | undefined {
    if (event.DestUniqueid !== undefined) {
      const member = call.members.get(event.DestUniqueid);
      if (member) return member;
    }
    if (event.Interface === undefined) return undefined;
    return [...call.members.values()].reverse().find((m) => m.interface === event.Interface);
  }

  function memberFrom(call: Call, event: AmiEvent<'AgentCalled' | 'AgentConnect' | 'AgentComplete'>): Member {
    const member = memberOf(call, event) ?? {
      key: event.DestUniqueid ?? event.Interface,
      interface: event.Interface,
      done: false,
    };
    if (event.MemberName !== undefined) member.name = event.MemberName;
    member.queue = event.Queue;
    call.members.set(member.key, member);
    memberIndex.set(member.key, call.caller.uniqueid);
    return member;
  }

  /** Members still ringing when the call ends stop ringing now (their DialEnd may never come). */
  function flushRinging(call: Call, reason: RingendReason): CallEventInput[] {
    const out: CallEventInput[] = [];
    for (const member of call.members.values()) {
      if (member.done) continue;
      member.done = true;
      out.push(ringendEvent(call, member, reason));
    }
    return out;
  }

  function dialEnd(event: AmiEvent<'DialEnd'>): CallEventInput[] {
    const call = event.Uniqueid === undefined ? undefined : calls.get(event.Uniqueid);
    const member = call && memberOf(call, event);
    if (!call || !member) return [];
    if (event.DialStatus === 'ANSWER') {
      member.done = true;
      call.answered = true;
      return [];
    }
    // A member can get two DialEnds (NOANSWER then CANCEL): only the first counts.
    if (member.done) return [];
    member.done = true;
    return [ringendEvent(call, member, ringendReason(event.DialStatus, call.answered))];
  }

  function dialBegin(event: AmiEvent<'DialBegin'>): CallEventInput[] {
    const { Uniqueid: uniqueid, Channel: channelName, Context: context } = event;
    if (uniqueid === undefined || channelName === undefined || context === undefined) return [];
    if (!outboundContexts.has(context) || calls.has(uniqueid) || memberIndex.has(uniqueid)) return [];
    // A forked or retried Dial() is still one call out.
    if (outboundSent.has(uniqueid)) return [];
    outboundSent.add(uniqueid);
    const agent = { uniqueid, channel: channelName, ...callerOf(event) };
    return [outboundEvent(agent, event.DestChannel, channel(uniqueid).vars)];
  }

  function hangup(uniqueid: string): void {
    channels.delete(uniqueid);
    outboundSent.delete(uniqueid);
    const call = calls.get(uniqueid);
    // An answered call waits for its AgentComplete, which can come after the caller's Hangup.
    if (call && !call.up) endCall(call);
    const owner = memberIndex.get(uniqueid);
    if (owner !== undefined && calls.get(owner)?.up?.member.key !== uniqueid) memberIndex.delete(uniqueid);
  }

  function handle(message: AmiMessage): CallEventInput[] {
    const uniqueid = typeof message['Uniqueid'] === 'string' ? message['Uniqueid'] : undefined;
    if (uniqueid !== undefined) {
      const record = channel(uniqueid);
      const headers = message['ChanVariable'];
      if (Array.isArray(headers)) record.vars.applyHeaders(headers);
      const call = calls.get(uniqueid);
      if (call) call.seen = generation;
    }

    if (isAmiEvent(message, 'VarSet')) {
      if (uniqueid !== undefined) channel(uniqueid).vars.set(message.Variable, message.Value);
    } else if (isAmiEvent(message, 'QueueCallerJoin') || isAmiEvent(message, 'QueueEntry')) {
      if (uniqueid !== undefined) ensureCall({ ...message, Uniqueid: uniqueid });
    } else if (isAmiEvent(message, 'AgentCalled')) {
      if (uniqueid === undefined) return [];
      const call = ensureCall({ ...message, Uniqueid: uniqueid });
      return [ringingEvent(call, memberFrom(call, message))];
    } else if (isAmiEvent(message, 'AgentRingNoAnswer')) {
      const call = findCall(message);
      const member = call && memberOf(call, message);
      if (!call || !member || member.done) return [];
      member.done = true;
      return [ringendEvent(call, member, 'timeout')];
    } else if (isAmiEvent(message, 'DialEnd')) {
      return dialEnd(message);
    } else if (isAmiEvent(message, 'AgentConnect')) {
      const call = findCall(message) ?? (uniqueid === undefined ? undefined : ensureCall({ ...message, Uniqueid: uniqueid }));
      if (!call) return [];
      const member = memberFrom(call, message);
      member.done = true;
      call.answered = true;
      call.up = { member, ringtime: message.RingTime, holdtime: message.HoldTime };
      return [upEvent(call, member, message.HoldTime, message.RingTime)];
    } else if (isAmiEvent(message, 'AgentComplete')) {
      const call =
        findCall(message) ??
        (uniqueid === undefined ? answeredCallOf(message.Queue, message.Interface) : ensureCall({ ...message, Uniqueid: uniqueid }));
      if (!call) {
        logger.warn({ destUniqueid: message.DestUniqueid, queue: message.Queue, interface: message.Interface }, 'AMI: AgentComplete for a call never seen; no hangup sent');
        return [];
      }
      const member = memberFrom(call, message);
      member.done = true;
      // The ringing time is the one of the call's `up` ("0" when the call was first seen after it).
      const times = { holdtime: message.HoldTime, ringtime: call.up?.ringtime ?? '0', talktime: message.TalkTime };
      endCall(call);
      return [...flushRinging(call, 'answered-elsewhere'), hangupEvent(call, member, times, message.Reason)];
    } else if (isAmiEvent(message, 'QueueCallerAbandon')) {
      if (uniqueid === undefined) return [];
      const call = ensureCall({ ...message, Uniqueid: uniqueid });
      endCall(call);
      return [...flushRinging(call, 'caller-left'), abandonEvent(call, message.Queue, message.HoldTime)];
    } else if (isAmiEvent(message, 'DialBegin')) {
      return dialBegin(message);
    } else if (isAmiEvent(message, 'Hangup')) {
      if (uniqueid !== undefined) hangup(uniqueid);
    } else if (resync) {
      return resync.handle(message);
    }
    return [];
  }

  return {
    handle,
    beginResync() {
      generation++;
      resync = createResync({
        generation: () => generation,
        calls,
        channels,
        memberIndex,
        outboundSent,
        ensureCall,
        logger,
        done: () => {
          resync = undefined;
        },
      });
    },
    abortResync() {
      resync = undefined;
    },
    adopt(published) {
      for (const known of published) {
        if (calls.has(known.uniqueid)) continue;
        const call = adoptedCall(known, channel(known.uniqueid).vars, generation - 1);
        calls.set(known.uniqueid, call);
        for (const key of call.members.keys()) memberIndex.set(key, known.uniqueid);
        evictOldest();
      }
    },
    get size() {
      return calls.size;
    },
  };
}

function callerOf(event: ChannelHeaders) {
  return {
    ...(event.CallerIDNum === undefined ? {} : { callernum: event.CallerIDNum }),
    ...(event.CallerIDName === undefined ? {} : { callername: event.CallerIDName }),
    ...(event.Context === undefined ? {} : { context: event.Context }),
    ...(event.Exten === undefined ? {} : { extension: event.Exten }),
  };
}

/** `DialEnd.DialStatus` of a member that did not answer → why its ringing ended. */
export function ringendReason(status: string, answeredElsewhere: boolean): RingendReason {
  switch (status) {
    case 'NOANSWER':
      return 'timeout';
    case 'CANCEL':
      return answeredElsewhere ? 'answered-elsewhere' : 'caller-left';
    case 'BUSY':
      return 'busy';
    default:
      // CHANUNAVAIL, CONGESTION, and the rarer DONTCALL, TORTURE, INVALIDARGS.
      return 'unavailable';
  }
}
