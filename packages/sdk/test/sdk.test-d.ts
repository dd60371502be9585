// Pins the public types of the SDK: a change that breaks integrations at compile time fails here.
import { describe, expectTypeOf, test } from 'vitest';
import {
  connect,
  CtiError,
  defineIntegration,
  type AbandonEvent,
  type CommandResult,
  type CtiClient,
  type HangupEvent,
  type ReplayTruncated,
  type UpEvent,
  type Welcome,
} from '../src/index.js';
import type { CommandAck, VariablesAck } from '@shuttle-cti/protocol';
import type { ClientSocket } from '../src/socket.js';

declare const cti: CtiClient;

describe('connect', () => {
  test('takes one URL or a list to fail over between, and returns the client', () => {
    expectTypeOf(connect).parameter(0).toEqualTypeOf<string | readonly string[]>();
    expectTypeOf(connect('http://localhost:8888', { token: 't' })).toEqualTypeOf<CtiClient>();
    expectTypeOf(connect(['http://a:8888', 'http://b:8888'])).toEqualTypeOf<CtiClient>();
    // @ts-expect-error whenDisconnected is 'reject' | 'wait'
    connect('http://localhost:8888', { whenDisconnected: 'later' });
  });
});

describe('handlers narrow the payload by event name', () => {
  test('call events', () => {
    cti.on('up', (call) => {
      expectTypeOf(call).toEqualTypeOf<UpEvent>();
      expectTypeOf(call.seq).toEqualTypeOf<number>();
      expectTypeOf(call.time).toEqualTypeOf<string>();
      expectTypeOf(call.holdtime).toEqualTypeOf<string>();
      expectTypeOf(call.peer).toEqualTypeOf<string>();
      expectTypeOf(call.up).toEqualTypeOf<true>();
      expectTypeOf(call.variables).toEqualTypeOf<Record<string, string>>();
      expectTypeOf(call.context).toEqualTypeOf<string | undefined>();
    });
    cti.on('hangup', (call) => {
      expectTypeOf(call).toEqualTypeOf<HangupEvent>();
      expectTypeOf(call.talktime).toEqualTypeOf<string>();
    });
    cti.on('abandon', (call) => {
      expectTypeOf(call).toEqualTypeOf<AbandonEvent>();
      expectTypeOf(call.unmanaged).toEqualTypeOf<true>();
      // @ts-expect-error abandon carries no agent: `peer` is not a known string field
      call.peer.toUpperCase();
    });
    cti.on('ringend', (call) => {
      expectTypeOf(call.reason).toEqualTypeOf<'timeout' | 'answered-elsewhere' | 'caller-left' | 'busy' | 'unavailable'>();
    });
    cti.on('ringing', (call) => {
      // @ts-expect-error ringing has no holdtime yet
      call.holdtime.toUpperCase();
    });
  });

  test('client events', () => {
    cti.on('welcome', (w) => expectTypeOf(w).toEqualTypeOf<Welcome>());
    cti.on('replay_truncated', (r) => expectTypeOf(r).toEqualTypeOf<ReplayTruncated>());
    cti.on('error', (e) => expectTypeOf(e).toEqualTypeOf<CtiError>());
    cti.on('connect', (info) => expectTypeOf(info.url).toEqualTypeOf<string>());
    cti.on('disconnect', (info) => expectTypeOf(info.reason).toEqualTypeOf<string>());
  });

  test('unknown event names are refused', () => {
    // @ts-expect-error not an event
    cti.on('answered', () => undefined);
    // @ts-expect-error not an event
    cti.once('Up', () => undefined);
  });

  test('async handlers are allowed', () => {
    expectTypeOf(cti.on('up', async () => undefined)).toEqualTypeOf<CtiClient>();
  });
});

describe('commands', () => {
  test('return the ack as a promise', () => {
    expectTypeOf(cti.wakeup('https://crm.example/x', 'SIP/a', 'new_frame')).toEqualTypeOf<Promise<CommandResult>>();
    expectTypeOf(cti.notification('SIP/a', 'info', 'title', 'body')).toEqualTypeOf<Promise<CommandResult>>();
    expectTypeOf(cti.pushevent('App', { a: 1 }, 'ref', 'https://crm.example/x')).toEqualTypeOf<Promise<CommandResult>>();
    expectTypeOf(cti.pushevent('App', { a: 1 }, 'ref')).toEqualTypeOf<Promise<CommandResult>>();
    expectTypeOf(cti.variables('1599601698.94')).toEqualTypeOf<Promise<Record<string, string>>>();
    expectTypeOf<CommandResult>().toMatchTypeOf<{ id: string; delivered: number; queued: number }>();
  });

  test('modes and notification types are checked', () => {
    // @ts-expect-error unknown mode
    void cti.wakeup('https://crm.example/x', 'SIP/a', 'popup');
    // @ts-expect-error unknown notification type
    void cti.notification('SIP/a', 'fatal', 't', 'b');
    void cti.wakeup('https://crm.example/x', 'SIP/a', 'new_tab', { timeout: 1000, whenDisconnected: 'wait', id: 'x' });
  });

  test('state', () => {
    expectTypeOf(cti.lastSeq).toEqualTypeOf<number | undefined>();
    expectTypeOf(cti.connected).toEqualTypeOf<boolean>();
    expectTypeOf(cti.ready).toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<CtiClient['close']>>().toEqualTypeOf<void>();
  });
});

describe('errors', () => {
  test('carry a code and the field at fault', () => {
    const error = new CtiError('INVALID_PAYLOAD', 'x', { field: 'url' });
    expectTypeOf(error.code).toEqualTypeOf<
      | 'UNAUTHORIZED'
      | 'FORBIDDEN'
      | 'INVALID_PAYLOAD'
      | 'INVALID_JSON'
      | 'PAYLOAD_TOO_LARGE'
      | 'RATE_LIMITED'
      | 'NOT_FOUND'
      | 'UNAVAILABLE'
      | 'TIMEOUT'
      | 'NOT_SUPPORTED'
      | 'PBX_ERROR'
      | 'DISCONNECTED'
      | 'INTERNAL'
    >();
    expectTypeOf(error.field).toEqualTypeOf<string | undefined>();
  });
});

describe('defineIntegration', () => {
  test('types handlers by event name', () => {
    defineIntegration({
      up: (call, client) => {
        expectTypeOf(call).toEqualTypeOf<UpEvent>();
        expectTypeOf(client).toEqualTypeOf<CtiClient>();
      },
    });
    defineIntegration((client) => {
      expectTypeOf(client).toEqualTypeOf<CtiClient>();
    });
    // @ts-expect-error not an event
    defineIntegration({ answered: () => undefined });
  });
});

describe('the integration socket', () => {
  test('is checked against the protocol maps', () => {
    const socket = {} as ClientSocket;
    socket.emit('AgentCTI', { url: 'https://crm.example/x', peer: 'SIP/a', mode: 'new_tab' }, (ack) => expectTypeOf(ack).toEqualTypeOf<CommandAck>());
    socket.emit('CustomVariables', { uniqueid: 'u' }, (ack) => expectTypeOf(ack).toEqualTypeOf<VariablesAck>());
    // @ts-expect-error a wakeup needs a mode
    socket.emit('AgentCTI', { url: 'https://crm.example/x', peer: 'SIP/a' });
    // @ts-expect-error integrations do not acknowledge pops
    socket.emit('ack', { id: 'x' });
    socket.on('cti_error', (error) => expectTypeOf(error.code).toEqualTypeOf<CtiError['code']>());
  });
});
