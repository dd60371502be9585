import { describe, expect, it } from 'vitest';
import { CtiError, parseOrThrow, tokenCreateBody, tokenProblem, tokenScopeBody, tokenScopeObject } from '../src/index.js';

const fieldOf = (schema: Parameters<typeof parseOrThrow>[0], input: unknown): string | undefined => {
  try {
    parseOrThrow(schema, input, 'token');
  } catch (error) {
    if (error instanceof CtiError) return error.field ?? '';
    throw error;
  }
  return undefined;
};

describe('token bodies', () => {
  it('ties peers to agents and scopes to integrations and supervisors', () => {
    expect(tokenProblem('agent', undefined, false)?.field).toBe('peer');
    expect(tokenProblem('agent', 'SIP/a', false)).toBeUndefined();
    expect(tokenProblem('source', 'SIP/a', false)?.field).toBe('peer');
    expect(tokenProblem('admin', undefined, true)?.field).toBe('scope');
    expect(tokenProblem('supervisor', undefined, true)).toBeUndefined();
    expect(tokenProblem('integration', undefined, true)).toBeUndefined();
  });

  it('accepts good create bodies and names the field of a bad one', () => {
    expect(tokenCreateBody.parse({ role: 'integration', queues: ['Sales'] })).toEqual({ role: 'integration', queues: ['Sales'] });
    expect(tokenCreateBody.parse({ role: 'agent', peer: 'SIP/a', name: 'desk 4' })).toEqual({ role: 'agent', peer: 'SIP/a', name: 'desk 4' });
    expect(fieldOf(tokenCreateBody, { role: 'root' })).toBe('role');
    expect(fieldOf(tokenCreateBody, { role: 'agent' })).toBe('peer');
    expect(fieldOf(tokenCreateBody, { role: 'agent', peer: 'SIP/a', peers: ['SIP/a'] })).toBe('peers');
    expect(fieldOf(tokenCreateBody, { role: 'supervisor', queues: ['a', 'b\r\n'] })).toBe('queues[1]');
    expect(fieldOf(tokenCreateBody, { role: 'supervisor', name: 'x\ny' })).toBe('name');
    expect(fieldOf(tokenCreateBody, { role: 'supervisor', name: 'x'.repeat(129) })).toBe('name');
  });

  it('a scope body sets, or clears with clear: true or null', () => {
    expect(tokenScopeBody.parse(null)).toBeNull();
    expect(tokenScopeObject.parse({ clear: true })).toEqual({ clear: true });
    expect(tokenScopeObject.parse({ peers: ['SIP/a'] })).toEqual({ peers: ['SIP/a'] });
    expect(fieldOf(tokenScopeObject, {})).toBe('queues');
    expect(fieldOf(tokenScopeObject, { clear: true, peers: [] })).toBe('clear');
    expect(fieldOf(tokenScopeObject, { peers: ['SIP/a\u200b'] })).toBe('peers[0]');
  });
});
