import type { PublishedCall } from '../sink.js';
import type { Call, Member } from './call-fields.js';
import type { VariableSet } from './variables.js';

/**
 * A call the hub published before this process started, as the tracker follows it. Its
 * members are known by interface only (the hub does not keep the member channels'
 * Uniqueids); the resync re-keys the one it finds bridged. `seen` is the previous
 * generation, so the call counts as seen only if the PBX still lists it.
 */
export function adoptedCall(known: PublishedCall, vars: VariableSet, seen: number): Call {
  const member = (peer: string, agentname: string | undefined, done: boolean): Member => ({
    key: peer,
    interface: peer,
    ...(agentname === undefined ? {} : { name: agentname }),
    queue: known.queue,
    done,
  });
  const call: Call = {
    caller: {
      uniqueid: known.uniqueid,
      callernum: known.callernum,
      ...(known.callername === undefined ? {} : { callername: known.callername }),
    },
    queue: known.queue,
    vars,
    members: new Map(),
    answered: known.answered !== undefined,
    seen,
  };
  for (const ringing of known.ringing) {
    if (ringing.peer !== known.answered?.peer) call.members.set(ringing.peer, member(ringing.peer, ringing.agentname, false));
  }
  if (known.answered) {
    const { peer, agentname, holdtime, ringtime } = known.answered;
    const answered = member(peer, agentname, true);
    call.members.set(peer, answered);
    call.up = { member: answered, ringtime: ringtime ?? '0', ...(holdtime === undefined ? {} : { holdtime }) };
  }
  return call;
}
