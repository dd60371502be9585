import { describe, expect, it } from 'vitest';
import { agentPauseCommand, agentQueueCommand, callDialCommand, callTransferCommand } from '../src/call-control.js';
import { CtiError } from '../src/errors.js';
import { parseOrThrow } from '../src/validate.js';

function fieldOf(schema: Parameters<typeof parseOrThrow>[0], input: unknown): string | undefined {
  try {
    parseOrThrow(schema, input, 'command');
  } catch (error) {
    if (error instanceof CtiError) return error.field;
    throw error;
  }
  return undefined;
}

describe('call-control schemas', () => {
  it('accepts the shapes of the protocol', () => {
    expect(
      callDialCommand.parse({ peer: 'IAX2/1000', number: '+390298765432', callerid: '"Andrea Bianco" <1000>', variables: { ordernumber: 'ORD-1' }, timeout: 20 }),
    ).toMatchObject({ peer: 'IAX2/1000' });
    expect(callTransferCommand.parse({ uniqueid: '1796236976.6', to: '7000', mode: 'blind' }).mode).toBe('blind');
    expect(callTransferCommand.parse({ uniqueid: 'x', to: 'reception', mode: 'attended' })).toMatchObject({ to: 'reception' });
    // cancel takes no target (one given is dropped).
    expect(callTransferCommand.parse({ uniqueid: 'x', mode: 'cancel', to: '7000' })).toEqual({ uniqueid: 'x', mode: 'cancel' });
    expect(agentPauseCommand.parse({ peer: 'SIP/andrea.bianco', paused: true, reason: 'Lunch' }).paused).toBe(true);
    expect(agentQueueCommand.parse({ peer: 'IAX2/1003', queue: 'Sales', member: true, name: 'Luca Neri', penalty: 0 }).member).toBe(true);
  });

  it.each([
    [callDialCommand, { peer: 'IAX2/1000', number: '123\r\nAction: Logoff' }, 'number'],
    [callDialCommand, { peer: 'IAX2/1000\n', number: '123' }, 'peer'],
    [callDialCommand, { peer: 'IAX2/1000', number: '12a' }, 'number'],
    [callDialCommand, { peer: 'IAX2/1000', number: '1'.repeat(41) }, 'number'],
    [callDialCommand, { peer: 'IAX2/1000', number: '1', callerid: 'a\rb' }, 'callerid'],
    [callDialCommand, { peer: 'IAX2/1000', number: '1', variables: { 'a\nb': 'x' } }, 'variables.a\nb'],
    [callDialCommand, { peer: 'IAX2/1000', number: '1', variables: { a: 'x\r\n' } }, 'variables.a'],
    [callDialCommand, { peer: 'IAX2/1000', number: '1', variables: { a: 'x,b=y' } }, 'variables.a'],
    [callDialCommand, { peer: 'IAX2/1000', number: '1', timeout: 0 }, 'timeout'],
    [callTransferCommand, { uniqueid: 'u', to: '7000@evil', mode: 'blind' }, 'to'],
    [callTransferCommand, { uniqueid: 'u\r\n', to: '7000', mode: 'blind' }, 'uniqueid'],
    [callTransferCommand, { uniqueid: 'u', to: '7000', mode: 'warm' }, 'mode'],
    [agentPauseCommand, { peer: 'IAX2/1000', paused: true, reason: 'Lunch\r\nAction: Hangup' }, 'reason'],
    [agentPauseCommand, { peer: 'IAX2/1000', paused: 'yes' }, 'paused'],
    [agentQueueCommand, { peer: 'IAX2/1000', queue: 'Sales\n', member: true }, 'queue'],
    [agentQueueCommand, { peer: 'IAX2/1000', queue: 'Sales', member: true, name: 'x\u0000' }, 'name'],
  ])('refuses a hostile value, naming the field (%#)', (schema, input, field) => {
    expect(fieldOf(schema, input)).toBe(field);
  });
});
