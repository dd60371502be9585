import { describe, expect, it } from 'vitest';
import { describeScope, eventInScope, realtimeRowInScope, scopeKey, scopeMatcher, scopeSchema } from '../src/index.js';

describe('scopes', () => {
  const scope = { queues: ['Sales', 'Support'], peers: ['SIP/a'] };

  it('an event is in scope by its queue or by its peer', () => {
    expect(eventInScope(scope, { queue: 'Sales' })).toBe(true);
    expect(eventInScope(scope, { queue: 'Billing', peer: 'SIP/a' })).toBe(true);
    expect(eventInScope(scope, { queue: 'Billing', peer: 'SIP/b' })).toBe(false);
    expect(eventInScope(scope, { peer: 'SIP/b' })).toBe(false);
    expect(eventInScope(scope, {})).toBe(false);
    // The same answers from the prepared matcher.
    const m = scopeMatcher(scope);
    expect(eventInScope(m, { queue: 'Support' })).toBe(true);
    expect(eventInScope(m, { queue: 'sales' })).toBe(false);
  });

  it('a realtime row is in scope by channel.queue or channel.peer', () => {
    expect(realtimeRowInScope(scope, { channel: { queue: 'Support' } })).toBe(true);
    expect(realtimeRowInScope(scope, { channel: { peer: 'SIP/a' } })).toBe(true);
    expect(realtimeRowInScope(scope, { channel: { queue: 'Billing', peer: 'SIP/z' } })).toBe(false);
  });

  it('refuses CR, LF and empty names, naming the list', () => {
    const bad = scopeSchema.safeParse({ queues: ['Sales\r\nAction: Originate'], peers: [] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path[0]).toBe('queues');
    expect(scopeSchema.safeParse({ queues: [], peers: [''] }).success).toBe(false);
    expect(scopeSchema.safeParse({ queues: ['x'.repeat(257)], peers: [] }).success).toBe(false);
  });

  it('equal scopes have one key; describes itself', () => {
    expect(scopeKey({ queues: ['b', 'a', 'a'], peers: [] })).toBe(scopeKey({ queues: ['a', 'b'], peers: [] }));
    expect(describeScope(scope)).toBe('queues Sales, Support · peers SIP/a');
    expect(describeScope(null)).toBe('everything');
  });
});
