import { peerOfChannel } from './call-fields.js';
import { amiField, type AmiMessage } from './parser.js';

/**
 * The channels of the calls in progress, as call control needs them: the channel that
 * carries a call's `uniqueid` (the caller of a queue call, the agent's leg of a dialled
 * one) and the agent's channel bridged to it. Fed by the raw AMI stream, `CoreShowChannel`
 * list items included, so calls already up before a reconnect are known too.
 */
export interface ChannelIndex {
  handle(message: AmiMessage): void;
  /** The channel whose Uniqueid is `uniqueid`. */
  channelOf(uniqueid: string): string | undefined;
  /** The agent's channel on the call: the member's leg of a queue call, or the dialled call's own channel. */
  agentChannelOf(uniqueid: string): string | undefined;
  /** Whether `peer` has a channel on the call now. */
  peerOnCall(uniqueid: string, peer: string): boolean;
  readonly size: number;
}

export function createChannelIndex(): ChannelIndex {
  /** Uniqueid → channel name. */
  const channels = new Map<string, string>();
  /** Caller's uniqueid → agent's uniqueid. */
  const agents = new Map<string, string>();
  /** BridgeId → uniqueids listed in it by CoreShowChannels (resync only). */
  const listedBridges = new Map<string, Array<{ uniqueid: string; application: string }>>();

  function forget(uniqueid: string): void {
    channels.delete(uniqueid);
    agents.delete(uniqueid);
    for (const [caller, agent] of agents) if (agent === uniqueid) agents.delete(caller);
  }

  return {
    handle(message) {
      const event = amiField(message, 'Event');
      const uniqueid = amiField(message, 'Uniqueid');
      const channel = amiField(message, 'Channel');
      switch (event ?? '') {
        case 'Newchannel':
        case 'Rename':
          if (uniqueid && channel) channels.set(uniqueid, event === 'Rename' ? (amiField(message, 'Newname') ?? channel) : channel);
          break;
        case 'Hangup':
          if (uniqueid) forget(uniqueid);
          break;
        case 'AgentConnect': {
          const dest = amiField(message, 'DestUniqueid');
          const destChannel = amiField(message, 'DestChannel');
          if (uniqueid && channel) channels.set(uniqueid, channel);
          if (dest && destChannel) channels.set(dest, destChannel);
          if (uniqueid && dest) agents.set(uniqueid, dest);
          break;
        }
        case 'CoreShowChannel': {
          if (!uniqueid || !channel) break;
          channels.set(uniqueid, channel);
          const bridge = amiField(message, 'BridgeId');
          if (bridge) {
            const listed = listedBridges.get(bridge) ?? [];
            listed.push({ uniqueid, application: amiField(message, 'Application') ?? '' });
            listedBridges.set(bridge, listed);
          }
          break;
        }
        case 'CoreShowChannelsComplete': {
          // A queue caller (Application Queue) bridged with a member (AppQueue): the call and its agent.
          for (const listed of listedBridges.values()) {
            const caller = listed.find((c) => c.application === 'Queue');
            const agent = listed.find((c) => c.application === 'AppQueue');
            if (caller && agent) agents.set(caller.uniqueid, agent.uniqueid);
          }
          listedBridges.clear();
          break;
        }
        default:
          break;
      }
    },
    channelOf: (uniqueid) => channels.get(uniqueid),
    agentChannelOf(uniqueid) {
      const agent = agents.get(uniqueid);
      return agent === undefined ? channels.get(uniqueid) : channels.get(agent);
    },
    peerOnCall(uniqueid, peer) {
      const own = channels.get(uniqueid);
      if (own !== undefined && peerOfChannel(own) === peer) return true;
      const agent = agents.get(uniqueid);
      const agentChannel = agent === undefined ? undefined : channels.get(agent);
      return agentChannel !== undefined && peerOfChannel(agentChannel) === peer;
    },
    get size() {
      return channels.size;
    },
  };
}
