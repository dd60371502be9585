import type { Scope } from '@shuttle-cti/protocol';
import { createToken } from '../../src/auth.js';
import type { TestHub } from '../helpers.js';

/** A token of `role` limited to `scope`; returns the secret and the id. */
export async function scopedToken(t: TestHub, role: 'integration' | 'supervisor', scope: Scope, name = `scoped-${role}`): Promise<{ secret: string; id: string }> {
  const { secret, record } = await createToken(t.hub.store, { role, name, scope });
  return { secret, id: record.id };
}

let n = 0;
const time = (): string => new Date().toISOString();

/** A queue call's events: ringing, then (answered) up and hangup, or (not) abandon. */
export function queueCall(queue: string, peer: string, answered: boolean, uniqueid = `sc-${++n}`): Record<string, unknown>[] {
  const base = { queue, uniqueid, direction: 'inbound', callernum: '1003', callername: 'caller', channel: `SIP/trunk-${n}`, time: time() };
  const agent = { ...base, peer, agentname: peer, agentnum: '1000' };
  if (!answered) return [{ ...agent, event: 'ringing', ringing: true }, { ...base, event: 'abandon', holdtime: '4', unmanaged: true }];
  return [
    { ...agent, event: 'ringing', ringing: true },
    { ...agent, event: 'up', holdtime: '3', ringtime: '1', up: true },
    { ...agent, event: 'hangup', holdtime: '3', ringtime: '1', talktime: '20', reason: 'agent', hangup: true },
  ];
}

/** An agent's outbound call (no queue: in a scope by its peer only). */
export function outboundCall(peer: string, uniqueid = `so-${++n}`): Record<string, unknown> {
  return { event: 'outbound', peer, uniqueid, direction: 'outbound', callernum: '555', channel: `${peer}-${n}`, agentname: peer, agentnum: '1000', extension: '3925926421', outbound: true, time: time() };
}

/** Whether an event-like object is in the scope (the rule under test, written out again). */
export function inScope(scope: Scope, e: { queue?: unknown; peer?: unknown }): boolean {
  return (typeof e.queue === 'string' && scope.queues.includes(e.queue)) || (typeof e.peer === 'string' && scope.peers.includes(e.peer));
}

export async function getJson<T>(t: TestHub, path: string, token: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}
