import { z } from 'zod';
import { Limits } from './limits.js';
import { peerName } from './peer.js';

/**
 * Scopes (protocol 1.2): a token limited to queues and peers. A scoped token sees the
 * events whose `queue` is one of its queues or whose `peer` is one of its peers; an
 * unscoped token (scope `null`) sees everything, and the hub checks `scope === null`
 * first so that it pays nothing for it.
 */

/** Most queues, and most peers, one scope may name. */
export const scopeMaxNames = 1000;

const controlChars = /[\u0000-\u001f\u007f-\u009f]/;

/** A queue name in a scope: 1–256 characters, no CR, LF or other control character, no white space at the ends. */
export const scopeQueueName = z
  .string()
  .min(1, 'a queue name may not be empty')
  .max(Limits.identifierLength, `a queue name has at most ${Limits.identifierLength} characters`)
  .refine((q) => !controlChars.test(q), 'a queue name may not contain CR, LF or other control characters')
  .refine((q) => q === q.trim(), 'a queue name may not start or end with white space');

export const scopeSchema = z.object({
  queues: z.array(scopeQueueName).max(scopeMaxNames, `at most ${scopeMaxNames} queues`),
  peers: z.array(peerName).max(scopeMaxNames, `at most ${scopeMaxNames} peers`),
});
export type Scope = z.infer<typeof scopeSchema>;

/** A scope with its names sorted and deduplicated: equal scopes compare equal as JSON. */
export function normalizeScope(scope: Scope): Scope {
  return { queues: [...new Set(scope.queues)].sort(), peers: [...new Set(scope.peers)].sort() };
}

/** The same scope as a stable string, e.g. to group the sessions that share a scope. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify(normalizeScope(scope));
}

/** Whether a scope names nothing at all (it then sees nothing). */
export function isEmptyScope(scope: Scope): boolean {
  return scope.queues.length === 0 && scope.peers.length === 0;
}

/** A scope prepared for look-ups on the hot path: sets instead of arrays. */
export interface ScopeMatcher {
  readonly scope: Scope;
  readonly queues: ReadonlySet<string>;
  readonly peers: ReadonlySet<string>;
}

export function scopeMatcher(scope: Scope): ScopeMatcher {
  return { scope, queues: new Set(scope.queues), peers: new Set(scope.peers) };
}

/** A matcher holds its names in sets, a scope in arrays. */
const isMatcher = (scope: Scope | ScopeMatcher): scope is ScopeMatcher => scope.queues instanceof Set;
const asMatcher = (scope: Scope | ScopeMatcher): ScopeMatcher => (isMatcher(scope) ? scope : scopeMatcher(scope));

/** Whether an event (any object with optional `queue` and `peer`) is in the scope. */
export function eventInScope(scope: Scope | ScopeMatcher, event: { queue?: unknown; peer?: unknown }): boolean {
  const m = asMatcher(scope);
  return (typeof event.queue === 'string' && m.queues.has(event.queue)) || (typeof event.peer === 'string' && m.peers.has(event.peer));
}

/** Whether an Integration Realtime row is in the scope: its `channel.queue` or `channel.peer` is. */
export function realtimeRowInScope(scope: Scope | ScopeMatcher, row: { channel: Record<string, unknown> }): boolean {
  return eventInScope(scope, row.channel);
}

/**
 * The last `agent` presence a scoped supervisor gets for an agent that left the scope's
 * queues (an `agentstate` with `member: false`) and is no longer in its scope: offline,
 * no session, none of its queues (the scope learns nothing of the agent's other queues).
 */
export function leftScopePresence(peer: string): { peer: string; state: 'offline'; sessions: 0; queues: string[] } {
  return { peer, state: 'offline', sessions: 0, queues: [] };
}

/**
 * Whether a presence tells a scoped supervisor that the agent is out of its scope: offline,
 * no session, member of none of the scope's queues (its `queues` given), and a peer the
 * scope does not name. The dashboard then drops the agent rather than showing it offline.
 */
export function presenceLeavesScope(scope: Scope | ScopeMatcher, presence: { peer: string; state: string; sessions: number; queues?: readonly string[] | undefined }): boolean {
  if (presence.state !== 'offline' || presence.sessions !== 0 || presence.queues === undefined) return false;
  const m = asMatcher(scope);
  return !m.peers.has(presence.peer) && !presence.queues.some((q) => m.queues.has(q));
}

/** Human-readable, as the CLI and the dashboard show it: `queues Sales, Support · peers SIP/a`. */
export function describeScope(scope: Scope | null): string {
  if (scope === null) return 'everything';
  const parts: string[] = [];
  if (scope.queues.length > 0) parts.push(`queues ${scope.queues.join(', ')}`);
  if (scope.peers.length > 0) parts.push(`peers ${scope.peers.join(', ')}`);
  return parts.length === 0 ? 'nothing' : parts.join(' · ');
}
