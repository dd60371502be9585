/**
 * What the hub sends matches the protocol's schemas exactly: each payload parses, and
 * parsing keeps every field (a field the hub sends but the schema does not know would be
 * stripped, and the comparison would fail).
 */
import {
  agentCtiDelivery,
  agentNotificationDelivery,
  agentPresence,
  agentReport,
  callControlAck,
  callEvent,
  commandAck,
  commandError,
  errorAnswer,
  eventsPage,
  healthAnswer,
  ingestBatch,
  ingestResult,
  queueReport,
  readyAnswer,
  realtimePage,
  realtimeRow,
  snapshot,
  variablesAck,
  variablesAnswer,
  welcome,
} from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectClient, nextEvent, seedEvents, startTestHub, type TestHub } from './helpers.js';

let t: TestHub;
const sockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestHub({ peer: 'SIP/johnandrea.doebianco' });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.stop();
});

function exactly(schema: z.ZodType, value: unknown): void {
  expect(schema.parse(value)).toEqual(value);
}

async function connect(namespace: '/' | '/agent' | '/supervisor', token: string): Promise<Socket> {
  const socket = await connectClient(t.url, namespace, { token });
  sockets.push(socket);
  return socket;
}

async function http(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(t.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

describe('socket.io payloads', () => {
  it('welcome, events, deliveries, acks, presence, rows and snapshot parse exactly', async () => {
    const integration = await connect('/', t.tokens.integration);
    const supervisor = await connect('/supervisor', t.tokens.supervisor);
    exactly(welcome, await nextEvent(integration, 'welcome'));
    exactly(welcome, await nextEvent(supervisor, 'welcome'));
    exactly(snapshot, await nextEvent(supervisor, 'snapshot'));

    const agent = await connect('/agent', t.tokens.agent);
    exactly(welcome, await nextEvent(agent, 'welcome'));
    exactly(agentPresence, await nextEvent(supervisor, 'agent'));

    const seed = await seedEvents();
    await t.ingest([seed.ringing, seed.up]);
    exactly(callEvent, await nextEvent(integration, 'ringing'));
    exactly(callEvent, await nextEvent(integration, 'up'));
    exactly(callEvent, await nextEvent(agent, 'up'));

    const wakeup = await integration.emitWithAck('AgentCTI', { url: 'https://crm.example.test/a', peer: t.peer, mode: 'new_tab' });
    exactly(commandAck, wakeup);
    exactly(agentCtiDelivery, await nextEvent(agent, 'AgentCTI'));
    exactly(commandAck, await integration.emitWithAck('AgentCTINotification', { peer: t.peer, type: 'info', title: 't', body: 'b' }));
    exactly(agentNotificationDelivery, await nextEvent(agent, 'AgentCTINotification'));
    exactly(commandAck, await integration.emitWithAck('RealtimeCTI', { type: 'crm', channel: { queue: 'q' }, reference: 'r', url: '' }));
    exactly(realtimeRow, await nextEvent(supervisor, 'RealtimeCTI'));

    const refused = await integration.emitWithAck('AgentCTI', { url: 'javascript:1', peer: t.peer, mode: 'new_tab' });
    exactly(commandAck, refused);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', field: 'url' } });
    integration.emit('AgentCTI', { url: 'javascript:1', peer: t.peer, mode: 'new_tab' });
    exactly(commandError, await nextEvent(integration, 'cti_error'));

    const uniqueid = seed.up['uniqueid'] as string;
    exactly(variablesAck, await integration.emitWithAck('CustomVariables', { uniqueid }));
    exactly(variablesAck, await integration.emitWithAck('CustomVariables', {}));
    exactly(callControlAck, await integration.emitWithAck('CallHangup', { uniqueid }));

    const dashboard = await connect('/supervisor', t.tokens.supervisor);
    const withCall = await nextEvent(dashboard, 'snapshot');
    exactly(snapshot, withCall);
    expect(snapshot.parse(withCall).calls.length).toBeGreaterThan(0);
  });
});

describe('HTTP answers', () => {
  it('ingest, events, variables, realtime, reports, health and errors parse exactly', async () => {
    const seed = await seedEvents();
    const one = await http('POST', '/api/v1/events', t.tokens.source, seed.hangup);
    expect(one.status).toBe(202);
    exactly(ingestResult, one.json);
    const batch = await http('POST', '/api/v1/events', t.tokens.source, [seed.abandon, { event: 'ringing' }]);
    expect(batch.status).toBe(207);
    exactly(ingestBatch, batch.json);

    const events = await http('GET', '/api/v1/events?after=0', t.tokens.supervisor);
    exactly(eventsPage, events.json);
    expect(eventsPage.parse(events.json).events.length).toBeGreaterThan(0);
    exactly(variablesAnswer, (await http('POST', '/api/v1/calls/u-1/variables', t.tokens.source, { crm: '42' })).json);
    exactly(realtimePage, (await http('GET', '/api/v1/realtime', t.tokens.supervisor)).json);
    exactly(queueReport, (await http('GET', '/api/v1/reports/queues', t.tokens.supervisor)).json);
    exactly(agentReport, (await http('GET', '/api/v1/reports/agents', t.tokens.supervisor)).json);
    exactly(healthAnswer, (await http('GET', '/healthz', undefined)).json);
    exactly(readyAnswer, (await http('GET', '/readyz', undefined)).json);

    const hangup = await http('POST', '/api/v1/calls/u-1/hangup', t.tokens.integration, {});
    expect(hangup.status).toBe(501);
    exactly(callControlAck, hangup.json);
    const forbidden = await http('GET', '/api/v1/events', t.tokens.integration);
    expect(forbidden.status).toBe(403);
    exactly(errorAnswer, forbidden.json);
    exactly(errorAnswer, (await http('GET', '/api/v1/nowhere', undefined)).json);
  });
});
