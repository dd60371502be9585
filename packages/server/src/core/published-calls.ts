import type { CallTracker } from './call-tracker.js';

/** A call in progress as the hub published it; the same shape as the sources package's `PublishedCall`. */
export interface PublishedCall {
  uniqueid: string;
  queue: string;
  callernum: string;
  callername?: string;
  answered?: { peer: string; agentname?: string; holdtime?: string; ringtime?: string };
  ringing: Array<{ peer: string; agentname?: string }>;
}

/**
 * The live view's calls in progress, for a PBX source resynchronising after a
 * (re)connect: rebuilt from the store when the hub restarts, so a source that restarted
 * with the hub still knows which calls were rung and answered.
 */
export function publishedCalls(tracker: CallTracker): PublishedCall[] {
  const names = new Map(tracker.agents().map((a) => [a.peer, a.name]));
  const withName = (peer: string, name: string | undefined) => (name === undefined ? { peer } : { peer, agentname: name });
  return tracker.calls().map((call) => {
    const out: PublishedCall = {
      uniqueid: call.uniqueid,
      queue: call.queue,
      callernum: call.callernum,
      ringing: call.ringing.map((peer) => withName(peer, names.get(peer))),
    };
    if (call.callername !== undefined) out.callername = call.callername;
    if (call.state === 'talking' && call.peer !== undefined) {
      out.answered = {
        ...withName(call.peer, call.agentname ?? names.get(call.peer)),
        ...(call.holdtime === undefined ? {} : { holdtime: call.holdtime }),
        ...(call.ringtime === undefined ? {} : { ringtime: call.ringtime }),
      };
    }
    return out;
  });
}
