// The SDK against a real hub: commands, their acks, and the errors a caller branches on.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { connect, CtiError, type CtiClient } from '../src/index.js';

let t: TestHub;
let cti: CtiClient;
let raw: Socket;
/** A client whose hub is not there: it never connects. */
let offline: CtiClient;

beforeAll(async () => {
  t = await startTestHub();
  cti = connect(t.url, { token: t.tokens.integration });
  await cti.ready;
  raw = await connectClient(t.url, '/', { token: t.tokens.integration });
  offline = connect('http://127.0.0.1:9', { token: 'x', reconnectDelay: 60_000 });
});
afterAll(async () => {
  offline.close();
  cti.close();
  raw.close();
  await t.stop();
});

async function rejection(promise: Promise<unknown>): Promise<CtiError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CtiError);
  return error as CtiError;
}

describe('commands', () => {
  it('wakeup reaches the agent and resolves with the ack', async () => {
    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const got = collect<Record<string, unknown>>(agent, ['AgentCTI']);
    const result = await cti.wakeup('https://crm.example.test/sales?order=7', t.peer, 'new_frame');
    expect(result).toMatchObject({ delivered: 1, queued: 0 });
    expect(typeof result.id).toBe('string');
    await until(() => got.length === 1, 3000, 'the screen pop');
    expect(got[0]).toMatchObject({ id: result.id, url: 'https://crm.example.test/sales?order=7', peer: t.peer, mode: 'new_frame' });
    agent.close();
  });

  it('wakeup for a peer with no session is queued', async () => {
    const result = await cti.wakeup('https://crm.example.test/x', 'SIP/nobody.here', 'new_tab');
    expect(result).toMatchObject({ delivered: 0, queued: 1 });
  });

  it('notification reaches the agent', async () => {
    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const next = nextEvent<Record<string, unknown>>(agent, 'AgentCTINotification');
    const result = await cti.notification(t.peer, 'warning', 'Callback', 'Call 1003 back');
    expect(result.delivered).toBe(1);
    expect(await next).toMatchObject({ id: result.id, type: 'warning', title: 'Callback', body: 'Call 1003 back' });
    agent.close();
  });

  it('pushevent reaches supervisors, with data.time set when missing and the caller’s data untouched', async () => {
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    const rows = collect<Record<string, unknown>>(supervisor, ['RealtimeCTI']);
    const data: Record<string, unknown> = { uniqueid: '1599601698.94', callernum: '1003' };
    const result = await cti.pushevent('SalesCRM', data, 'ticket-42', 'https://crm.example.test/tickets/42');
    await until(() => rows.length === 1, 3000, 'the realtime row');
    const row = rows[0] as { id: string; type: string; reference: string; url: string; channel: Record<string, unknown> };
    expect(row).toMatchObject({ id: result.id, type: 'SalesCRM', reference: 'ticket-42', url: 'https://crm.example.test/tickets/42' });
    expect(row.channel['callernum']).toBe('1003');
    expect(Number.isNaN(Date.parse(String(row.channel['time'])))).toBe(false);
    expect(data['time']).toBeUndefined();
    supervisor.close();
  });

  it('variables returns the custom variables of a call', async () => {
    const res = await fetch(`${t.url}/api/v1/calls/1599601698.94/variables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tokens.source}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ordernumber: 'A-1001' }),
    });
    expect(res.status).toBe(200);
    expect(await cti.variables('1599601698.94')).toEqual({ ordernumber: 'A-1001' });
    expect(await cti.variables('no.such.call')).toEqual({});
  });

  it('a command sent twice with the same id is carried out once', async () => {
    const first = await cti.wakeup('https://crm.example.test/once', 'SIP/nobody.twice', 'new_tab', { id: 'sdk-dedupe-1' });
    const second = await cti.wakeup('https://crm.example.test/once', 'SIP/nobody.twice', 'new_tab', { id: 'sdk-dedupe-1' });
    expect(first.id).toBe('sdk-dedupe-1');
    expect(second).toMatchObject({ id: 'sdk-dedupe-1', duplicate: true });
  });
});

describe('errors', () => {
  const cases: [string, (c: CtiClient) => Promise<unknown>, string, Record<string, unknown>, string, string | undefined][] = [
    ['javascript: URL', (c) => c.wakeup('javascript:alert(1)', 'SIP/x', 'new_tab'), 'AgentCTI', { url: 'javascript:alert(1)', peer: 'SIP/x', mode: 'new_tab' }, 'INVALID_PAYLOAD', 'url'],
    ['relative URL', (c) => c.wakeup('/crm?phone=1', 'SIP/x', 'new_tab'), 'AgentCTI', { url: '/crm?phone=1', peer: 'SIP/x', mode: 'new_tab' }, 'INVALID_PAYLOAD', 'url'],
    ['unknown mode', (c) => c.wakeup('https://crm.example.test', 'SIP/x', 'popup' as 'new_tab'), 'AgentCTI', { url: 'https://crm.example.test', peer: 'SIP/x', mode: 'popup' }, 'INVALID_PAYLOAD', 'mode'],
    ['empty peer', (c) => c.notification('', 'info', 't', 'b'), 'AgentCTINotification', { peer: '', type: 'info', title: 't', body: 'b' }, 'INVALID_PAYLOAD', 'peer'],
    ['unknown type', (c) => c.notification('SIP/x', 'fatal' as 'info', 't', 'b'), 'AgentCTINotification', { peer: 'SIP/x', type: 'fatal', title: 't', body: 'b' }, 'INVALID_PAYLOAD', 'type'],
    ['oversized body', (c) => c.notification('SIP/x', 'info', 't', 'b'.repeat(17_000)), 'AgentCTINotification', { peer: 'SIP/x', type: 'info', title: 't', body: 'b'.repeat(17_000) }, 'PAYLOAD_TOO_LARGE', undefined],
    ['empty appname', (c) => c.pushevent('', { a: '1' }, 'r'), 'RealtimeCTI', { type: '', channel: { a: '1', time: '2020-01-01T00:00:00Z' }, reference: 'r' }, 'INVALID_PAYLOAD', 'type'],
    ['data: URL in pushevent', (c) => c.pushevent('App', { time: 'x' }, 'r', 'data:text/html,x'), 'RealtimeCTI', { type: 'App', channel: { time: 'x' }, reference: 'r', url: 'data:text/html,x' }, 'INVALID_PAYLOAD', 'url'],
  ];
  it.each(cases)('refuses a %s before sending, with the same code and field as the hub', async (_name, send, command, payload, code, field) => {
    const local = await rejection(send(cti));
    // Without a connection the same error proves the check is made before anything is sent.
    const unsent = await rejection(send(offline));
    expect({ code: unsent.code, field: unsent.field }).toEqual({ code, field });
    const hub = (await raw.timeout(3000).emitWithAck(command, payload)) as { ok: false; error: { code: string; field?: string } };
    expect(hub.ok).toBe(false);
    expect({ code: local.code, field: local.field }).toEqual({ code, field });
    expect({ code: hub.error.code, field: hub.error.field }).toEqual({ code, field });
  });

  it('refuses a bad uniqueid for variables', async () => {
    const error = await rejection(cti.variables(''));
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'uniqueid' });
  });

  it('a refused token rejects ready, emits error and stops retrying', async () => {
    const bad = connect(t.url, { token: 'not-a-token' });
    const seen: CtiError[] = [];
    bad.on('error', (e) => seen.push(e));
    const error = await rejection(bad.ready);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(seen.map((e) => e.code)).toEqual(['UNAUTHORIZED']);
    expect(bad.closed).toBe(true);
    expect((await rejection(bad.wakeup('https://crm.example.test', 'SIP/x', 'new_tab'))).code).toBe('DISCONNECTED');
    bad.close();
  });

  it('a token of another role is FORBIDDEN', async () => {
    const agent = connect(t.url, { token: t.tokens.agent });
    agent.on('error', () => undefined);
    expect((await rejection(agent.ready)).code).toBe('FORBIDDEN');
    agent.close();
  });

  it('unknown event names are refused at runtime too', () => {
    expect(() => cti.on('answered' as 'up', () => undefined)).toThrow(CtiError);
  });
});
