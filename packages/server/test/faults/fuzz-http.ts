import { Agent, request } from 'node:http';
import { Limits, callEventInput, jsonByteLength, variablesSchema } from '@shuttle-cti/protocol';
import type { Fuzz } from './fuzz-values.js';
import { isWireError } from './fuzz-socket.js';

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** ok: a 2xx; error: a 4xx/5xx in the documented shape; any: either, in the shape that goes with its status. */
  expect: 'ok' | 'error' | 'any';
}

export interface HttpTokens {
  source: string;
  supervisor: string;
  integration: string;
}

const json = { 'content-type': 'application/json' };
/** Pages and the socket.io transport answer in their own formats; the fuzz aims at the API. */
const notApi = /^\/(agent|dashboard|socket\.io)?\/?($|[?#])/;

/** The body a server sees after JSON.parse of what a client serialised. */
const roundTrip = (value: unknown): unknown => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown));

function eventIsValid(item: unknown): boolean {
  return typeof item === 'object' && item !== null && jsonByteLength(item) <= Limits.payloadBytes && callEventInput.safeParse(item).success;
}

/** What POST /api/v1/events must answer for this (authorised) body. */
function expectEvents(body: unknown, text: string): HttpCase['expect'] {
  // The JSON parser refuses prototype-polluting keys on its own, valid event or not.
  if (/"(__proto__|constructor)"/.test(text)) return 'any';
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0 || items.length > Limits.eventsPerRequest) return 'error';
  const valid = items.filter(eventIsValid).length;
  return valid === items.length ? 'ok' : valid === 0 ? 'error' : 'any';
}

/** encodeURIComponent, or for a string it cannot encode (a lone surrogate) bytes that are not UTF-8. */
function encodeSegment(value: string): { text: string; exact: boolean } {
  try {
    return { text: encodeURIComponent(value), exact: true };
  } catch {
    return { text: '%ED%A0%80x', exact: false };
  }
}

/** A random request to the HTTP API, and what the answer must be. */
export function httpCase(fuzz: Fuzz, tokens: HttpTokens, seed: Record<string, unknown>[]): HttpCase {
  const auth = (role: 'source' | 'supervisor'): Record<string, string> => {
    if (fuzz.chance(0.9)) return { authorization: `Bearer ${tokens[role]}` };
    return fuzz.pick([{}, { authorization: 'Bearer' }, { authorization: `Bearer ${tokens.integration}` }, { authorization: `Basic ${tokens[role]}` }, { authorization: `Bearer sct_${'x'.repeat(300)}` }, { authorization: `Bearer ${encodeSegment(fuzz.string()).text}` }]);
  };
  const authOk = (h: Record<string, string>, role: 'source' | 'supervisor'): boolean => h['authorization'] === `Bearer ${tokens[role]}`;
  const event = (): unknown => (fuzz.chance(0.7) ? fuzz.mutate(fuzz.pick(seed)) : fuzz.value());
  const route = fuzz.int(100);

  if (route < 55) {
    const headers = { ...json, ...auth('source') };
    const ok = authOk(headers, 'source');
    const kind = fuzz.int(10);
    if (kind <= 5) {
      const body = roundTrip(kind <= 3 ? event() : Array.from({ length: 1 + fuzz.int(5) }, () => (fuzz.chance(0.3) ? fuzz.pick(seed) : event())));
      const text = JSON.stringify(body) ?? '';
      return { method: 'POST', path: '/api/v1/events', headers, body: text, expect: ok ? expectEvents(body, text) : 'error' };
    }
    const text = JSON.stringify(fuzz.pick(seed));
    const bodies: (() => { body: string | Buffer; headers?: Record<string, string> })[] = [
      () => ({ body: text.slice(0, fuzz.int(text.length)) }),
      () => ({ body: Buffer.from(Array.from({ length: fuzz.int(200) }, () => fuzz.int(256))) }),
      () => ({ body: text.replace(/"/g, fuzz.pick(["'", '', '\\"'])) }),
      () => ({ body: `{"__proto__":{"admin":true},${text.slice(1)}` }),
      () => ({ body: `{"constructor":{"prototype":{"x":1}},${text.slice(1)}` }),
      () => ({ body: '['.repeat(50_000) + ']'.repeat(50_000) }),
      () => ({ body: `{"event":"ringing","x":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}` }),
      () => ({ body: `[${Array.from({ length: Limits.eventsPerRequest + 1 }, () => text).join(',')}]` }),
      () => ({ body: `{"event":"ringing","pad":"${'x'.repeat(1024 * 1024 + 10)}"}` }),
      () => ({ body: text, headers: { 'content-type': fuzz.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) } }),
      () => ({ body: '' }),
      () => ({ body: fuzz.string() }),
      () => ({ body: 'null' }),
      () => ({ body: '"just a string"' }),
      () => ({ body: '12345' }),
      () => ({ body: '[]' }),
    ];
    const pick = fuzz.pick(bodies)();
    return { method: 'POST', path: '/api/v1/events', headers: { ...headers, ...pick.headers }, body: pick.body, expect: 'any' };
  }
  if (route < 70) {
    const uniqueid = fuzz.chance(0.5) ? '1599601698.94' : fuzz.string();
    const vars = fuzz.chance(0.5) ? { ordernumber: fuzz.string(), [fuzz.string().slice(0, 300) || 'k']: fuzz.string() } : fuzz.value();
    const body = roundTrip(fuzz.chance(0.5) ? { variables: vars } : vars);
    const headers = { ...json, ...auth('source') };
    const encoded = encodeSegment(uniqueid);
    const text = JSON.stringify(body) ?? '';
    const update = typeof body === 'object' && body !== null && !Array.isArray(body) && 'variables' in body ? (body).variables : body;
    const valid = uniqueid.length > 0 && uniqueid.length <= Limits.identifierLength && variablesSchema.safeParse(update).success;
    const expect = !authOk(headers, 'source') ? 'error' : !encoded.exact || /"(__proto__|constructor)"/.test(text) ? 'any' : valid ? 'ok' : 'error';
    return { method: 'POST', path: `/api/v1/calls/${encoded.text}/variables`, headers, body: text, expect };
  }
  if (route < 85) {
    const path = fuzz.pick(['/api/v1/events', '/api/v1/realtime']);
    const keys = ['after', 'limit', 'type', 'from', 'to', 'before', fuzz.string().slice(0, 20)];
    const query = Array.from({ length: fuzz.int(4) }, () => `${encodeSegment(fuzz.pick(keys)).text}=${encodeSegment(fuzz.chance(0.5) ? String(fuzz.value()) : fuzz.string()).text}`).join('&');
    const headers = auth('supervisor');
    return { method: 'GET', path: `${path}?${query}`, headers, expect: authOk(headers, 'supervisor') ? 'any' : 'error' };
  }
  const method = fuzz.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
  let path = fuzz.pick(['/api/v1/', '/api/v2/events', '/api/v1/events/1', '/api/v1/calls//variables', '/assets/', '/assets/../../etc/passwd', '/api/v1/calls/x/variables/y', '/', '/%00', '/metrics/x']);
  path += encodeSegment(fuzz.string().slice(0, 200)).text;
  if (notApi.test(path) || path === '/') path = `/api/v0${path}`;
  const body = method === 'GET' || method === 'OPTIONS' ? undefined : JSON.stringify(fuzz.value()) ?? '';
  return { method, path, headers: { ...json, ...auth('source') }, ...(body === undefined ? {} : { body }), expect: 'any' };
}

export interface HttpAnswer {
  status: number;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Closes the kept-alive connections, so the hub can stop. */
export function closeHttp(): void {
  agent.destroy();
}

export function send(base: string, c: HttpCase): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // An explicit length: Node sends a DELETE body without one, which the server then reads as the next request.
    const headers = c.body === undefined ? c.headers : { ...c.headers, 'content-length': String(Buffer.byteLength(c.body)) };
    // Past 16 KiB of request line and headers Node's parser answers and closes the connection: use one of its own.
    const req = request(new URL(c.path, base), { method: c.method, headers, agent: c.path.length > 8000 ? false : agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

const stackTrace = /\n\s+at .+(\.[jt]s|node:)/;

/** Checks an answer against the case; returns a description of the mismatch, or undefined. */
export function checkAnswer(c: HttpCase, answer: HttpAnswer): string | undefined {
  if (stackTrace.test(answer.text)) return `stack trace leaked: ${answer.text.slice(0, 300)}`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `not JSON (status ${answer.status}): ${answer.text.slice(0, 200)}`;
  }
  const b = body as { error?: unknown; results?: unknown };
  if (answer.status >= 500 && answer.status !== 503) return `server error ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (c.expect === 'ok' && (answer.status < 200 || answer.status > 299)) return `expected 2xx, got ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (c.expect === 'error' && answer.status < 400) return `expected an error, got ${answer.status}`;
  if (answer.status < 400 && answer.status !== 207) return undefined;
  if (isWireError(b.error)) return undefined;
  // POST /api/v1/events with an array answers per item, even when every item was refused.
  if (Array.isArray(b.results) && b.results.every((r: { ok?: unknown; error?: unknown; seq?: unknown }) => (r.ok === true && typeof r.seq === 'number') || (r.ok === false && isWireError(r.error)))) {
    return undefined;
  }
  return `error not in the documented shape (status ${answer.status}): ${answer.text.slice(0, 300)}`;
}
