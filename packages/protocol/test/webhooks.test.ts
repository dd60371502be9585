import { describe, expect, it } from 'vitest';
import { CtiError } from '../src/errors.js';
import { parseOrThrow } from '../src/validate.js';
import { webhookDefinition } from '../src/webhooks.js';

const refusal = (input: unknown): CtiError => {
  try {
    parseOrThrow(webhookDefinition, input, 'webhook');
  } catch (error) {
    if (error instanceof CtiError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('webhook definitions', () => {
  it('accepts an http(s) URL with known events, queues and options', () => {
    const d = parseOrThrow(webhookDefinition, { url: 'https://crm.example/hook', events: ['ringing', 'up', 'agentstate'], queues: ['Sales'], enrich: true, enrichTimeoutMs: 500 }, 'webhook');
    expect(d.events).toEqual(['ringing', 'up', 'agentstate']);
  });

  it.each([
    [{ url: 'ftp://crm.example/hook', events: ['up'] }, 'url'],
    [{ url: 'javascript:alert(1)', events: ['up'] }, 'url'],
    [{ url: '/relative', events: ['up'] }, 'url'],
    [{ url: 'http://crm.example/', events: ['up', 'answered'] }, 'events[1]'],
    [{ url: 'http://crm.example/', events: [] }, 'events'],
    [{ url: 'http://crm.example/' }, 'events'],
    [{ url: 'http://crm.example/', events: ['up'], queues: ['Sales\r\nAction: Hangup'] }, 'queues[0]'],
    [{ url: 'http://crm.example/', events: ['up'], secret: 'short' }, 'secret'],
    [{ url: 'http://crm.example/', events: ['up'], enrich: true }, 'enrich'],
    [{ url: 'http://crm.example/', events: ['ringing'], enrichTimeoutMs: 0 }, 'enrichTimeoutMs'],
    [{ url: 'http://crm.example/', events: ['up'], colour: 'red' }, ''],
  ])('refuses %j naming the field %s', (input, field) => {
    const e = refusal(input);
    expect(e.code).toBe('INVALID_PAYLOAD');
    if (field === '') expect(e.message).toMatch(/colour/);
    else expect(e.field).toBe(field);
  });
});
