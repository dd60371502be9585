import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { createToken } from '../../src/auth.js';
import { addWebhook } from '../../src/webhooks/manage.js';
import { collect, connectClient, nextEvent, seedEvents, startTestHub, until, type TestHub } from '../helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

const fast = { refreshMs: 100, pollMs: 2000, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 400, leaseMs: 3000 };

let hub: TestHub;
let seed: Awaited<ReturnType<typeof seedEvents>>;
const receivers: Receiver[] = [];
const sockets: Socket[] = [];
let counter = 0;

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

function call(name: 'ringing' | 'up', changes: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { ...seed[name], uniqueid: `1700000100.${counter}`, queue: 'Support', ...changes };
}

async function metric(name: string): Promise<string> {
  return (await hub.hub.metrics.registry.getSingleMetricAsString(name)) ?? '';
}

beforeEach(async () => {
  seed = await seedEvents();
  hub = await startTestHub({ config: { webhooks: fast } });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('commands in a webhook answer', () => {
  it('are carried out as an integration’s; a bad one is counted and the loop goes on', async () => {
    const agent = await connectClient(hub.url, '/agent', { token: hub.tokens.agent });
    sockets.push(agent);
    const pops = collect<Record<string, unknown>>(agent, ['AgentCTI']);
    const r = await receiver();
    r.answer((x) => ({
      status: 200,
      body: {
        commands: [
          { AgentCTI: { peer: hub.peer, url: `https://crm.example.test/contact?number=${String(x.json['callernum'])}`, mode: 'new_tab' } },
          { AgentCTI: { peer: hub.peer, url: 'javascript:alert(1)' } },
          { NoSuchCommand: {} },
          { CallDial: { peer: hub.peer, number: '100' } },
        ],
      },
    }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret });
    await hub.ingest([call('up', { callernum: '5551234' }), call('up', { callernum: '5559876' })]);
    await until(() => pops.length >= 2, 5000, 'two pops');
    expect(pops.map((p) => p['url'])).toEqual(['https://crm.example.test/contact?number=5551234', 'https://crm.example.test/contact?number=5559876']);
    await until(async () => /result="NOT_SUPPORTED"} 2/.test(await metric('shuttle_cti_webhook_commands_total')), 5000, 'command results counted');
    const counted = await metric('shuttle_cti_webhook_commands_total');
    expect(counted).toMatch(new RegExp(`webhook="${record.id}",result="ok"} 2`));
    expect(counted).toMatch(new RegExp(`webhook="${record.id}",result="INVALID_PAYLOAD"} 4`));
    expect(await hub.hub.store.getWebhook(record.id)).toMatchObject({ delivered: 2, failed: 0 });
  });

  it('run scoped like the webhook: one with queues acts on those queues only', async () => {
    const agent = await connectClient(hub.url, '/agent', { token: hub.tokens.agent });
    sockets.push(agent);
    const pops = collect<Record<string, unknown>>(agent, ['AgentCTI']);
    const r = await receiver();
    r.answer(() => ({
      status: 200,
      body: {
        commands: [
          { AgentCTI: { peer: 'SIP/outside.the.scope', url: 'https://crm.example.test/other-brand', mode: 'new_tab' } },
          { RealtimeCTI: { type: 'lead', channel: { queue: 'Billing' }, reference: 'other brand' } },
          { AgentCTI: { peer: hub.peer, url: 'https://crm.example.test/own-brand', mode: 'new_tab' } },
        ],
      },
    }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], queues: ['Support'], secret: r.secret });
    // The call makes hub.peer a member of Support (from the calls seen).
    await hub.ingest([call('up', { peer: hub.peer })]);
    await until(() => pops.length >= 1, 5000, 'the pop on the member of the webhook’s queue');
    await until(async () => /result="ok"} 1/.test(await metric('shuttle_cti_webhook_commands_total')), 5000, 'command results counted');
    const counted = await metric('shuttle_cti_webhook_commands_total');
    expect(counted).toMatch(new RegExp(`webhook="${record.id}",result="FORBIDDEN"} 2`));
    expect(pops.map((p) => p['url'])).toEqual(['https://crm.example.test/own-brand']);
    expect(await hub.hub.store.listRealtime({ limit: 10 })).toEqual([]);
  });

  it('a non-JSON or odd 2xx answer is a delivery without commands', async () => {
    const r = await receiver();
    r.answer((_x, i) => ({ status: 200, body: i === 0 ? 'not json' : { commands: 'nope' } }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['up'], secret: r.secret });
    await hub.ingest([call('up'), call('up')]);
    await until(async () => (await hub.hub.store.getWebhook(record.id))?.delivered === 2, 5000, 'both delivered');
  });
});

describe('enrichment of ringing', () => {
  it('merges the answer’s variables before publishing; a ringall makes one request', async () => {
    const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    sockets.push(integration);
    const r = await receiver();
    r.answer((x) => ({ status: 200, body: { variables: { crmId: `C-${String(x.json['callernum'])}`, score: 7 } } }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['ringing'], secret: r.secret, enrich: true, enrichTimeoutMs: 2000 });
    await until(() => hub.hub.webhooks().includes(record.id));
    // A ringall: ten agents rung for one call.
    const uniqueid = '1700000200.1';
    const rings = Array.from({ length: 10 }, (_, i) => ({ ...seed.ringing, queue: 'Support', uniqueid, callernum: '5550001', peer: `SIP/agent${i}`, agentname: `Agent ${i}` }));
    const results = await Promise.all(rings.map((e) => hub.ingest([e])));
    expect(results.flat().every((x) => x.ok)).toBe(true);
    const first = await nextEvent<Record<string, unknown>>(integration, 'ringing');
    expect(first['variables']).toEqual({ crmId: 'C-5550001', score: '7' });
    expect(await hub.hub.sink.calls().then(() => hub.hub.store.getVariables(uniqueid))).toEqual({ crmId: 'C-5550001', score: '7' });
    const lookups = r.received.filter((x) => x.headers['x-shuttle-enrich'] === 'true');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.signed).toBe(true);
    expect(lookups[0]?.headers['x-shuttle-seq']).toBeUndefined();
    // Then the ten ringing events are delivered too, in order, with the variables.
    await until(() => r.received.filter((x) => x.headers['x-shuttle-seq'] !== undefined).length === 10, 5000, 'ten deliveries');
    expect(await metric('shuttle_cti_webhook_enrichments_total')).toMatch(new RegExp(`webhook="${record.id}",result="cached"} 9`));
  });

  it('publishes without the variables when the endpoint is too slow, and counts it', async () => {
    const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    sockets.push(integration);
    const r = await receiver();
    r.answer((x) => (x.headers['x-shuttle-enrich'] === 'true' ? 'hang' : { status: 200 }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['ringing'], secret: r.secret, enrich: true, enrichTimeoutMs: 150 });
    await until(() => hub.hub.webhooks().includes(record.id));
    const [result] = await hub.ingest([call('ringing', { variables: { own: 'yes' } })]);
    expect(result?.ok).toBe(true);
    const event = await nextEvent<Record<string, unknown>>(integration, 'ringing');
    expect(event['variables']).toEqual({ own: 'yes' });
    expect(await metric('shuttle_cti_webhook_enrichments_total')).toMatch(new RegExp(`webhook="${record.id}",result="timeout"} 1`));
  });

  it('an error answer or bad variables: published without them, counted as error', async () => {
    const r = await receiver();
    r.answer((x, i) => (x.headers['x-shuttle-enrich'] !== 'true' ? { status: 200 } : i === 0 ? { status: 500 } : { status: 200, body: { variables: { nested: { a: 1 } } } }));
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['ringing'], secret: r.secret, enrich: true });
    await until(() => hub.hub.webhooks().includes(record.id));
    await hub.ingest([call('ringing', { callernum: '1' })]);
    await hub.ingest([call('ringing', { callernum: '2' })]);
    expect(await metric('shuttle_cti_webhook_enrichments_total')).toMatch(new RegExp(`webhook="${record.id}",result="error"} 2`));
  });

  it('only ringing, only the webhook’s queues', async () => {
    const r = await receiver();
    const { record } = await addWebhook(hub.hub.store, { url: r.url, events: ['ringing', 'up'], queues: ['Sales'], secret: r.secret, enrich: true });
    await until(() => hub.hub.webhooks().includes(record.id));
    await hub.ingest([call('ringing'), call('up', { queue: 'Sales' })]);
    await until(() => r.received.length === 1, 5000, 'the up delivered');
    expect(r.received[0]?.headers['x-shuttle-event']).toBe('up');
  });
});

describe('/api/v1/webhooks', () => {
  it('needs an admin token; adds, lists and removes; refuses bad definitions naming the field', async () => {
    const admin = (await createToken(hub.hub.store, { role: 'admin', name: 'ops' })).secret;
    const api = (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${hub.url}/api/v1/webhooks${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await api('GET', '', hub.tokens.supervisor)).status).toBe(403);
    expect((await api('GET', '', hub.tokens.integration)).status).toBe(403);
    const bad = [
      [{ url: 'ftp://crm.example/x', events: ['up'] }, 'url'],
      [{ url: 'https://crm.example/x', events: ['up', 'pickup'] }, 'events[1]'],
      [{ url: 'https://crm.example/x' }, 'events'],
      [{ url: 'https://crm.example/x', events: ['up'], enrich: true }, 'enrich'],
    ] as const;
    for (const [body, field] of bad) {
      const res = await api('POST', '', admin, body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; field?: string } };
      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field });
    }
    const created = await api('POST', '', admin, { url: 'https://crm.example/hook', events: ['up', 'hangup'], queues: ['Sales'] });
    expect(created.status).toBe(201);
    const { webhook, secret } = (await created.json()) as { webhook: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = (await (await api('GET', '', admin)).json()) as { webhooks: Record<string, unknown>[] };
    expect(listed.webhooks).toHaveLength(1);
    expect(listed.webhooks[0]).toMatchObject({ id: webhook.id, url: 'https://crm.example/hook', events: ['up', 'hangup'], queues: ['Sales'], state: 'enabled', lag: 0, delivered: 0 });
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await api('DELETE', `/${webhook.id}`, admin)).status).toBe(200);
    const gone = await api('DELETE', `/${webhook.id}`, admin);
    expect(gone.status).toBe(404);
  });
});
