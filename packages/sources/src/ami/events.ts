import type { AmiMessage } from './parser.js';

/**
 * The AMI events the call tracker reads, typed by name. Anything else stays a plain
 * `AmiMessage`. Header values are what Asterisk sent and are not validated, so the
 * fields real traffic can omit are optional: `AgentComplete` arrives without any of
 * the caller's fields once the caller's channel is gone.
 */

/** The channel block Asterisk puts in every channel event (`Channel`, `Uniqueid`, ...). */
export interface ChannelHeaders {
  Channel?: string;
  Uniqueid?: string;
  Linkedid?: string;
  CallerIDNum?: string;
  CallerIDName?: string;
  ConnectedLineNum?: string;
  ConnectedLineName?: string;
  Context?: string;
  Exten?: string;
  /** `name=value` of each `channelvars` variable of manager.conf. */
  ChanVariable?: string[];
}

/** The same block for the other channel of a two-channel event, prefixed `Dest`. */
export interface DestChannelHeaders {
  DestChannel?: string;
  DestUniqueid?: string;
  DestCallerIDNum?: string;
  DestCallerIDName?: string;
  DestContext?: string;
  DestExten?: string;
  DestChanVariable?: string[];
}

interface QueueMemberHeaders {
  Queue: string;
  /** The member's interface, e.g. `PJSIP/1000` or `IAX2/1000`. */
  Interface: string;
  MemberName?: string;
}

export interface AmiKnownEvents {
  Newchannel: ChannelHeaders;
  Hangup: ChannelHeaders & { Cause?: string; 'Cause-txt'?: string };
  VarSet: ChannelHeaders & { Variable: string; Value: string };
  QueueCallerJoin: ChannelHeaders & { Queue: string; Position?: string };
  QueueCallerLeave: ChannelHeaders & { Queue: string };
  QueueCallerAbandon: ChannelHeaders & { Queue: string; HoldTime: string };
  AgentCalled: ChannelHeaders & DestChannelHeaders & QueueMemberHeaders;
  /** `RingTime` in milliseconds. */
  AgentRingNoAnswer: ChannelHeaders & DestChannelHeaders & QueueMemberHeaders & { RingTime?: string };
  /** `HoldTime` and `RingTime` in seconds. */
  AgentConnect: ChannelHeaders & DestChannelHeaders & QueueMemberHeaders & { HoldTime: string; RingTime: string };
  AgentComplete: ChannelHeaders &
    DestChannelHeaders &
    QueueMemberHeaders & { HoldTime: string; TalkTime: string; Reason: string };
  DialBegin: ChannelHeaders & DestChannelHeaders & { DialString?: string };
  DialEnd: ChannelHeaders & DestChannelHeaders & { DialStatus: string };
  /** A caller waiting in a queue, listed by `QueueStatus`. */
  QueueEntry: ChannelHeaders & { Queue: string; Position?: string; Wait?: string };
  /** A queue member, listed by `QueueStatus` (note `Name`/`Location`, not `MemberName`/`Interface`). */
  QueueMember: { Queue: string; Name?: string; Location: string; Status?: string; InCall?: string };
  /** A channel, listed by `CoreShowChannels`. */
  CoreShowChannel: ChannelHeaders & { Application?: string; BridgeId?: string };
  CoreShowChannelsComplete: { ListItems?: string };
}

export type AmiEventName = keyof AmiKnownEvents;
export type AmiEvent<N extends AmiEventName> = AmiMessage & AmiKnownEvents[N] & { Event: N };

/** Narrows a message to a known event by its `Event` header. */
export function isAmiEvent<N extends AmiEventName>(message: AmiMessage, name: N): message is AmiEvent<N> {
  return message['Event'] === name;
}
