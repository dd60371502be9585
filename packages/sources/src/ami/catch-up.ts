import type { CallEventInput } from '@shuttle-cti/protocol';
import { abandonEvent, hangupEvent, peerOfChannel, ringendEvent, upEvent, type Call, type Member, type RingendReason } from './call-fields.js';
import type { AmiEvent } from './events.js';

/**
 * What an agent missed while the AMI connection was down, told after the resync from
 * what the PBX still reports. Every event is marked `resync: true`; its `eventid` is the
 * one the live event would have had, so whatever was published already (by this process
 * or by the hub before a restart) is recognised by the hub and not published twice.
 */

const late = (event: CallEventInput): CallEventInput => ({ ...event, resync: true });

/** Members still ringing stop ringing now. */
function endRinging(call: Call, reason: RingendReason, except?: Member): CallEventInput[] {
  const out: CallEventInput[] = [];
  for (const member of call.members.values()) {
    if (member.done || member === except) continue;
    member.done = true;
    out.push(late(ringendEvent(call, member, reason)));
  }
  return out;
}

/**
 * The caller is bridged to `member`'s channel: the call was answered during the gap.
 * The `up` goes out unless one was published; `holdtime` is "0" here and replaced by
 * the caller's `QUEUEWAIT` before it is sent (see readHoldtime), `ringtime` is "0": the
 * PBX does not report it for a call already connected.
 */
export function catchUpAnswered(call: Call, member: Member): CallEventInput[] {
  const out = endRinging(call, 'answered-elsewhere', member);
  member.done = true;
  call.answered = true;
  if (call.up) return out;
  call.up = { member, ringtime: '0' };
  out.push(late(upEvent(call, member, '0', '0')));
  return out;
}

/**
 * The caller is still in the queue: a member whose phone was ringing and whose channel
 * is gone stopped ringing without answering.
 */
export function catchUpWaiting(call: Call, listed: ReadonlyArray<AmiEvent<'CoreShowChannel'>>): CallEventInput[] {
  const out: CallEventInput[] = [];
  for (const member of call.members.values()) {
    if (member.done) continue;
    const ringing = listed.some(
      (ch) =>
        ch.Uniqueid === member.key ||
        (ch.Linkedid === call.caller.uniqueid && ch.Channel !== undefined && peerOfChannel(ch.Channel) === member.interface),
    );
    if (ringing) continue;
    member.done = true;
    out.push(late(ringendEvent(call, member, 'timeout')));
  }
  return out;
}

/**
 * Neither the caller nor its agent is left on the PBX: the call ended during the gap and
 * nothing says how. Its members stop ringing and the call ends with a `hangup` whose
 * `reason` is `unknown` (talktime "0"; holdtime and ringtime those of its `up`, "0" if it
 * was never answered), on the member that answered or else the last one rung; a call
 * that never rang anyone ends with an `abandon` (holdtime "0").
 */
export function catchUpEnded(call: Call): CallEventInput[] {
  const answered = call.up?.member;
  const out = endRinging(call, answered ? 'answered-elsewhere' : 'caller-left', answered);
  const member = answered ?? [...call.members.values()].at(-1);
  if (!member) {
    const queue = call.queue;
    return queue === undefined ? out : [...out, late(abandonEvent(call, queue, '0'))];
  }
  const times = { holdtime: call.up?.holdtime ?? '0', ringtime: call.up?.ringtime ?? '0', talktime: '0' };
  out.push(late(hangupEvent(call, member, times, 'unknown')));
  return out;
}

/** The seconds the caller waited in the queue, as `Getvar QUEUEWAIT` answers it; undefined when unknown. */
export function queueWait(value: string | undefined): string | undefined {
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}
