/** Call events as a PBX source sends them (string numbers, as the Shuttle API does). */
export interface CallSpec {
  uniqueid: string;
  queue: string;
  peer: string;
  agentname?: string;
  callernum: string;
  callername?: string;
}

const base = (c: CallSpec) => ({
  queue: c.queue,
  agentname: c.agentname ?? 'Test Agent',
  agentnum: '1000',
  peer: c.peer,
  direction: 'inbound',
  uniqueid: c.uniqueid,
  callernum: c.callernum,
  ...(c.callername === undefined ? {} : { callername: c.callername }),
});

export const ringing = (c: CallSpec) => ({ event: 'ringing' as const, ...base(c), ringing: true as const });
export const up = (c: CallSpec, holdtime = '12') => ({ event: 'up' as const, ...base(c), holdtime, ringtime: '3', up: true as const });
export const hangup = (c: CallSpec, reason = 'caller', talktime = '95') => ({
  event: 'hangup' as const,
  ...base(c),
  holdtime: '12',
  ringtime: '3',
  talktime,
  reason,
  hangup: true as const,
});
export const abandon = (c: Omit<CallSpec, 'peer'>, holdtime = '40') => ({
  event: 'abandon' as const,
  queue: c.queue,
  direction: 'unmanaged',
  uniqueid: c.uniqueid,
  callernum: c.callernum,
  holdtime,
  unmanaged: true as const,
});
