import type { CallEventInput } from '@shuttle-cti/protocol';
import type { SourceLogger } from '../sink.js';
import { peerOfChannel, type Call, type Member } from './call-fields.js';
import { catchUpAnswered, catchUpEnded, catchUpWaiting } from './catch-up.js';
import { isAmiEvent, type AmiEvent, type ChannelHeaders } from './events.js';
import type { AmiMessage } from './parser.js';

/** One resynchronisation in progress: collects the list items, applies them when complete. */
export interface Resync {
  /** Returns the call events the agents missed, once the channel list is complete. */
  handle(message: AmiMessage): CallEventInput[];
}

interface ResyncDeps {
  generation(): number;
  calls: Map<string, Call>;
  channels: Map<string, { seen: number }>;
  memberIndex: Map<string, string>;
  outboundSent: Set<string>;
  ensureCall(event: ChannelHeaders & { Uniqueid: string; Queue?: string }): Call;
  logger: SourceLogger;
  done(): void;
}

/**
 * After a mid-call reconnect the call has left the queue: `QueueStatus` no longer lists
 * it, but `CoreShowChannels` shows the caller (`Application: Queue`) and the agent
 * (`Application: AppQueue`) in one bridge. That pair is enough to recognise the
 * call's later `AgentComplete`, even one without the caller's fields.
 */
export function createResync(deps: ResyncDeps): Resync {
  const members: Array<AmiEvent<'QueueMember'>> = [];
  const listed: Array<AmiEvent<'CoreShowChannel'>> = [];

  function agentMember(call: Call, agent: AmiEvent<'CoreShowChannel'>): Member | undefined {
    if (agent.Uniqueid === undefined || agent.Channel === undefined) return undefined;
    const known = call.members.get(agent.Uniqueid) ?? call.up?.member ?? call.members.get(peerOfChannel(agent.Channel));
    if (known) {
      // A member the hub reported after a restart is known by its interface only: it is this channel.
      if (known.key === known.interface && peerOfChannel(agent.Channel) === known.interface) {
        call.members.delete(known.key);
        known.key = agent.Uniqueid;
      }
      return known;
    }
    const iface = peerOfChannel(agent.Channel);
    const entry = members.find((m) => m.Location === iface && m.InCall === '1') ?? members.find((m) => m.Location === iface);
    const member: Member = { key: agent.Uniqueid, interface: iface, done: true };
    if (entry?.Name !== undefined) member.name = entry.Name;
    const queue = entry?.Queue ?? call.queue;
    if (queue !== undefined) member.queue = queue;
    return member;
  }

  function complete(): CallEventInput[] {
    const generation = deps.generation();
    const out: CallEventInput[] = [];
    // Calls followed before the lists came (seen on the previous connection, or reported
    // by the hub): only those get the events they missed.
    const known = new Set(deps.calls.keys());
    const byBridge = new Map<string, Array<AmiEvent<'CoreShowChannel'>>>();
    for (const ch of listed) {
      if (ch.BridgeId === undefined || ch.BridgeId === '') continue;
      byBridge.set(ch.BridgeId, [...(byBridge.get(ch.BridgeId) ?? []), ch]);
    }
    for (const ch of listed) {
      if (ch.Application !== 'Queue' || ch.Uniqueid === undefined) continue;
      const call = deps.ensureCall({ ...ch, Uniqueid: ch.Uniqueid });
      call.seen = generation;
      const bridged = ch.BridgeId ? byBridge.get(ch.BridgeId) : undefined;
      const agent = bridged?.find((other) => other.Uniqueid !== ch.Uniqueid && other.Application === 'AppQueue');
      const member = agent && agentMember(call, agent);
      if (!member) {
        if (known.has(ch.Uniqueid)) out.push(...catchUpWaiting(call, listed));
        continue;
      }
      call.members.set(member.key, member);
      deps.memberIndex.set(member.key, call.caller.uniqueid);
      if (known.has(ch.Uniqueid)) out.push(...catchUpAnswered(call, member));
      else {
        call.answered = true;
        call.up ??= { member, ringtime: '0' };
      }
    }

    const present = new Set(listed.map((ch) => ch.Uniqueid));
    for (const call of [...deps.calls.values()]) {
      if (call.seen >= generation || present.has(call.caller.uniqueid)) continue;
      deps.logger.info(
        { uniqueid: call.caller.uniqueid },
        'AMI: call ended while the connection was down; its end was not seen, so it ends with reason "unknown"',
      );
      out.push(...catchUpEnded(call));
      deps.calls.delete(call.caller.uniqueid);
    }
    for (const [uniqueid, record] of deps.channels) {
      if (record.seen < generation && !present.has(uniqueid)) deps.channels.delete(uniqueid);
    }
    for (const [member, owner] of deps.memberIndex) if (!deps.calls.has(owner)) deps.memberIndex.delete(member);
    for (const uniqueid of deps.outboundSent) if (!deps.channels.has(uniqueid)) deps.outboundSent.delete(uniqueid);
    deps.done();
    return out;
  }

  return {
    handle(message) {
      if (isAmiEvent(message, 'QueueMember')) members.push(message);
      else if (isAmiEvent(message, 'CoreShowChannel')) listed.push(message);
      else if (isAmiEvent(message, 'CoreShowChannelsComplete')) return complete();
      return [];
    },
  };
}
