/**
 * GET /api/v1/openapi.json: a valid OpenAPI 3.1 document that lists exactly the routes the
 * hub registers, and each route answers as the document says (status documented, body
 * parsing exactly with the schema the document was generated from).
 */
import { documentedRoutes, httpComponents, type HttpComponentName } from '@shuttle-cti/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/auth.js';
import { registeredRoutes } from '../src/http/openapi.js';
import { addWebhook } from '../src/webhooks/manage.js';
import { seedEvents, startTestHub, type TestHub } from './helpers.js';

type Json = Record<string, unknown>;
let t: TestHub;
let doc: Json;
beforeAll(async () => {
  t = await startTestHub({ webDist: new URL('../../web/dist/', import.meta.url).pathname });
  const response = await fetch(`${t.url}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as Json;
});
afterAll(async () => {
  await t.stop();
});

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const operationsOf = (d: Json): [string, string, Json][] =>
  Object.entries(d['paths'] as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, op]): [string, string, Json] => [path, method, op as Json]),
  );

function resolve(d: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = d;
  for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}

describe('the document', () => {
  it('has the fields OpenAPI 3.1 requires, and every operation its answers', () => {
    expect(doc['openapi']).toMatch(/^3\.1\.\d+$/);
    const info = doc['info'] as Json;
    expect(typeof info['title']).toBe('string');
    expect(typeof info['version']).toBe('string');
    expect(Object.keys(doc['paths'] as Json).length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const [path, method, op] of operationsOf(doc)) {
      expect(path.startsWith('/'), path).toBe(true);
      const where = `${method} ${path}`;
      expect(typeof op['operationId'], where).toBe('string');
      expect(ids.has(op['operationId'] as string), `operationId of ${where} is unique`).toBe(false);
      ids.add(op['operationId'] as string);
      const responses = op['responses'] as Record<string, Json>;
      expect(Object.keys(responses).length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(responses)) {
        expect(status, where).toMatch(/^[1-5]\d\d$/);
        expect(typeof response['description'], `${where} ${status}`).toBe('string');
      }
      // Every {param} of the path is declared, as a required path parameter.
      const declared = ((op['parameters'] as Json[] | undefined) ?? []).filter((p) => p['in'] === 'path').map((p) => p['name']);
      expect(declared.sort(), where).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      // Security names a declared scheme.
      for (const requirement of (op['security'] as Json[] | undefined) ?? []) {
        for (const scheme of Object.keys(requirement)) expect(resolve(doc, `#/components/securitySchemes/${scheme}`), where).toBeDefined();
      }
    }
  });

  it('resolves every $ref', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it('lists every route the hub registers, and only those', () => {
    const key = (r: { method: string; url: string }): string => `${r.method} ${r.url}`;
    const registered = new Set(registeredRoutes(t.hub.app).filter((r) => r.method !== 'HEAD').map(key));
    const documented = new Set(documentedRoutes().map(key));
    expect(registered.size).toBeGreaterThan(10);
    expect([...registered].filter((r) => !documented.has(r)), 'registered but not documented').toEqual([]);
    expect([...documented].filter((r) => !registered.has(r)), 'documented but not registered').toEqual([]);
    // The document's paths are those routes, in OpenAPI's {param} form.
    expect(operationsOf(doc).map(([path, method]) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`).sort()).toEqual([...documented].sort());
  });
});

describe('each route answers as documented', () => {
  const seed = async () => seedEvents();
  /** One request per operation (a success where this hub can give one), keyed like the document. */
  const requests = async (): Promise<Record<string, { token?: string; path?: string; body?: unknown; accept?: string }[]>> => {
    const s = await seed();
    const { source, supervisor, integration } = t.tokens;
    const admin = (await createToken(t.hub.store, { role: 'admin', name: 'openapi-admin' })).secret;
    // Nothing listens on port 9 of this machine: deliveries fail at once and are retried in the background.
    const hook = { url: 'http://127.0.0.1:9/hook', events: ['agentstate'] };
    const removable = (await addWebhook(t.hub.store, hook)).record.id;
    const revocable = (await createToken(t.hub.store, { role: 'integration', name: 'openapi-revoke' })).record.id;
    const scopable = (await createToken(t.hub.store, { role: 'supervisor', name: 'openapi-scope' })).record.id;
    return {
      'post /api/v1/events': [{ token: source, body: s.ringing }, { token: source, body: [s.up, { event: 'up' }] }, {}],
      'get /api/v1/events': [{ token: supervisor, path: '/api/v1/events?after=0&limit=10' }, { token: integration }],
      'post /api/v1/calls/{uniqueid}/variables': [{ token: source, path: '/api/v1/calls/u-1/variables', body: { crm: '42' } }, { token: source, path: '/api/v1/calls/u-1/variables', body: { 'bad key': 1 } }],
      'get /api/v1/realtime': [{ token: supervisor, path: '/api/v1/realtime?limit=5' }, { token: supervisor, path: '/api/v1/realtime?limit=x' }],
      'get /api/v1/reports/queues': [{ token: supervisor }, { token: supervisor, path: '/api/v1/reports/queues?format=csv' }, { token: supervisor, path: '/api/v1/reports/queues?interval=week' }],
      'get /api/v1/reports/agents': [{ token: supervisor }, { token: supervisor, accept: 'text/csv' }],
      'post /api/v1/calls': [{ token: integration, body: { peer: 'SIP/a', number: '100' } }, { body: {} }],
      'post /api/v1/calls/{uniqueid}/hangup': [{ token: integration, path: '/api/v1/calls/u-1/hangup', body: {} }],
      'post /api/v1/calls/{uniqueid}/transfer': [{ token: integration, path: '/api/v1/calls/u-1/transfer', body: { to: '200', mode: 'blind' } }],
      'post /api/v1/agents/{peer}/pause': [{ token: supervisor, path: '/api/v1/agents/SIP%2Fa/pause', body: { paused: true } }],
      'post /api/v1/agents/{peer}/queues': [{ token: supervisor, path: '/api/v1/agents/SIP%2Fa/queues', body: { queue: 'Sales', member: true } }],
      'get /api/v1/webhooks': [{ token: admin }, { token: supervisor }, {}],
      'post /api/v1/webhooks': [{ token: admin, body: hook }, { token: admin, body: { ...hook, url: 'ftp://x' } }],
      'delete /api/v1/webhooks/{id}': [{ token: admin, path: `/api/v1/webhooks/${removable}` }, { token: admin, path: '/api/v1/webhooks/wh_none' }],
      'get /api/v1/tokens': [{ token: admin }, { token: integration }],
      'post /api/v1/tokens': [
        { token: admin, body: { role: 'supervisor', name: 'from-openapi', queues: ['Sales'] } },
        { token: admin, body: { role: 'agent' } },
      ],
      'delete /api/v1/tokens/{id}': [{ token: admin, path: `/api/v1/tokens/${revocable}` }, { token: admin, path: '/api/v1/tokens/none' }],
      'put /api/v1/tokens/{id}/scope': [
        { token: admin, path: `/api/v1/tokens/${scopable}/scope`, body: { queues: ['Sales'], peers: ['SIP/a'] } },
        { token: admin, path: `/api/v1/tokens/${scopable}/scope`, body: null },
        { token: admin, path: `/api/v1/tokens/${scopable}/scope`, body: { queues: ['Sa\r\nles'] } },
      ],
      'get /api/v1/openapi.json': [{}],
      'get /healthz': [{}],
      'get /readyz': [{}],
      'get /metrics': [{}],
      'get /': [{}],
      'get /agent': [{}],
      'get /agent/': [{}],
      'get /dashboard': [{}],
      'get /dashboard/': [{}],
      'get /assets/{file}': [{ path: '/assets/nothing-here.js' }],
    };
  };

  it('with a documented status and a body that parses exactly with the documented schema', async () => {
    const table = await requests();
    const operations = operationsOf(doc);
    expect(Object.keys(table).sort()).toEqual(operations.map(([path, method]) => `${method} ${path}`).sort());
    for (const [path, method, op] of operations) {
      for (const request of table[`${method} ${path}`] ?? []) {
        const url = t.url + (request.path ?? path);
        const response = await fetch(url, {
          method: method.toUpperCase(),
          redirect: 'manual',
          headers: {
            ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(request.accept ? { accept: request.accept } : {}),
          },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
        const where = `${method} ${request.path ?? path} → ${response.status}`;
        const documented = (op['responses'] as Record<string, Json>)[String(response.status)];
        expect(documented, `${where} is a documented status`).toBeDefined();
        const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
        const content = (documented?.['content'] ?? {}) as Record<string, Json>;
        if (response.status === 302) continue;
        expect(Object.keys(content), `${where} is documented as ${type}`).toContain(type);
        const body = await response.text();
        const ref = ((content[type]?.['schema'] as Json | undefined)?.['$ref'] as string | undefined)?.replace('#/components/schemas/', '');
        if (ref === undefined) continue;
        const schema = httpComponents[ref as HttpComponentName];
        const json: unknown = JSON.parse(body);
        expect(schema.parse(json), where).toEqual(json);
      }
    }
  });
});
