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

export const ringing = (c: CallSpec) => ({ event: 'ringing', ...base(c), ringing: true });
export const up = (c: CallSpec, holdtime = '12') => ({ event: 'up', ...base(c), holdtime, ringtime: '3', up: true });
export const hangup = (c: CallSpec, reason = 'caller', talktime = '95') => ({
  event: 'hangup',
  ...base(c),
  holdtime: '12',
  ringtime: '3',
  talktime,
  reason,
  hangup: true,
});
export const abandon = (c: Omit<CallSpec, 'peer'>, holdtime = '40') => ({
  event: 'abandon',
  queue: c.queue,
  direction: 'unmanaged',
  uniqueid: c.uniqueid,
  callernum: c.callernum,
  holdtime,
  unmanaged: true,
});
