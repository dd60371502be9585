import { errorCode } from '../errors.js';
import { adminOperations } from './admin-operations.js';
import { componentSchemas, type HttpComponentName } from './components.js';
import { methods, path, query, type Answer, type Method, type Operation, type Param, type PathItem } from './operation.js';

/**
 * The hub's HTTP API as an OpenAPI 3.1 document, served at `GET /api/v1/openapi.json`.
 * Bodies and answers are generated from the protocol's zod schemas (components.ts);
 * paths, roles and statuses are written here, next to each other, once.
 */

const reportParams: readonly Param[] = [
  query('from', 'Start: an ISO 8601 time with its offset, or a date (the whole day in the report time zone). Default: today 00:00.'),
  query('to', 'End, like `from`. Default: now.'),
  query('interval', 'One row per queue (or agent) per interval.', { type: 'string', enum: ['hour', 'day', 'total'] }),
  query('sla', 'Seconds within which an answer counts as within the service level (0–3600).', { type: 'integer', minimum: 0, maximum: 3600 }),
  query('tz', 'IANA time zone of the days and hours (default: the hub\u2019s `reports.timeZone`).'),
  query('format', '`csv` answers the rows as CSV (as does `Accept: text/csv`).', { type: 'string', enum: ['json', 'csv'] }),
];
const commonErrors = [400, 401, 403, 429, 503] as const;
const controlErrors = [400, 401, 403, 404, 501, 502, 503, 504] as const;

/** A call-control route (protocol 1.2): a POST answered with the command's ack, errors in the ack's shape. */
function control(summary: string, roles: Operation['roles'], body: HttpComponentName, ok: Answer, params?: readonly Param[]): PathItem {
  return { post: { summary, ...(roles ? { roles } : {}), ...(params ? { params } : {}), body, ok: { 200: ok }, errors: controlErrors, ackErrors: true } };
}

const operations: Record<string, PathItem> = {
  '/api/v1/events': {
    post: {
      summary: 'Ingest one call event (or `agentstate`), or an array of them; an `eventid` already accepted answers its original `seq`.',
      roles: ['source'],
      body: 'IngestBody',
      ok: {
        202: { description: 'One event: accepted (its `seq`). An array: every event accepted.', schema: 'IngestResult' },
        207: { description: 'An array: some events accepted, each result in order.', schema: 'IngestBatch' },
      },
      errors: [...commonErrors, 413],
    },
    get: {
      summary: 'Stored events after `after`, oldest first.',
      roles: ['supervisor'],
      params: [
        query('after', 'Events with a larger `seq`.', { type: 'integer', minimum: 0, default: 0 }),
        query('limit', 'At most this many.', { type: 'integer', minimum: 0, maximum: 5000, default: 500 }),
      ],
      ok: { 200: { description: 'The events.', schema: 'EventsPage' } },
      errors: commonErrors,
    },
  },
  '/api/v1/calls/{uniqueid}/variables': {
    post: {
      summary: 'Merges custom variables into a call\u2019s (sent as the object, or as `{ variables }`).',
      roles: ['source'],
      params: [path('uniqueid', 'The call.')],
      body: 'VariablesBody',
      ok: { 200: { description: 'The call\u2019s variables after the merge.', schema: 'VariablesAnswer' } },
      errors: commonErrors,
    },
    get: undefined,
  },
  '/api/v1/realtime': {
    get: {
      summary: 'Integration Realtime rows, newest first.',
      roles: ['supervisor'],
      params: [
        query('type', 'Only the rows of this integration.'),
        query('from', 'Rows at or after this ISO time.', { type: 'string', format: 'date-time' }),
        query('to', 'Rows at or before this ISO time.', { type: 'string', format: 'date-time' }),
        query('before', 'Rows older than the row with this id (paging).'),
        query('limit', 'At most this many.', { type: 'integer', minimum: 0, maximum: 1000, default: 100 }),
      ],
      ok: { 200: { description: 'The rows.', schema: 'RealtimePage' } },
      errors: commonErrors,
    },
    post: undefined,
  },
  '/api/v1/reports/queues': {
    get: {
      summary: 'Queue figures per interval (docs/PROTOCOL.md, Reports).',
      roles: ['supervisor', 'admin'],
      params: reportParams,
      ok: { 200: { description: 'The report (or CSV with `format=csv`).', schema: 'QueueReport', text: 'text/csv' } },
      errors: commonErrors,
    },
    post: undefined,
  },
  '/api/v1/reports/agents': {
    get: {
      summary: 'Agent figures per interval (docs/PROTOCOL.md, Reports).',
      roles: ['supervisor', 'admin'],
      params: reportParams,
      ok: { 200: { description: 'The report (or CSV with `format=csv`).', schema: 'AgentReport', text: 'text/csv' } },
      errors: commonErrors,
    },
    post: undefined,
  },
  '/api/v1/calls': control('`CallDial`: the peer\u2019s phone rings; once answered, the number is dialled.', ['integration', 'agent'], 'CallDialBody', { description: 'Dialling: the `uniqueid` the call\u2019s events carry.', schema: 'CallDialAck' }),
  '/api/v1/calls/{uniqueid}/hangup': control('`CallHangup`: hangs up the call\u2019s channels.', ['integration', 'agent', 'supervisor'], 'CallHangupBody', { description: 'Done.', schema: 'CallControlAck' }, [path('uniqueid', 'The call.')]),
  '/api/v1/calls/{uniqueid}/transfer': control('`CallTransfer`: blind or attended transfer to `to`.', ['integration', 'agent'], 'CallTransferBody', { description: 'Done.', schema: 'CallControlAck' }, [path('uniqueid', 'The call.')]),
  '/api/v1/agents/{peer}/pause': control('`AgentPause`: pauses or unpauses the peer in every queue, or in `queue`.', ['integration', 'agent', 'supervisor'], 'AgentPauseBody', { description: 'Done.', schema: 'CallControlAck' }, [path('peer', 'The peer, URL-encoded (`SIP%2Fandrea.bianco`).')]),
  '/api/v1/agents/{peer}/queues': control('`AgentQueue`: the peer joins (`member: true`) or leaves a queue.', ['integration', 'agent', 'supervisor'], 'AgentQueueBody', { description: 'Done.', schema: 'CallControlAck' }, [path('peer', 'The peer, URL-encoded.')]),
  ...adminOperations,
  '/api/v1/openapi.json': {
    get: { summary: 'This document.', ok: { 200: { description: 'OpenAPI 3.1.', text: 'application/json' } } },
    post: undefined,
  },
  '/healthz': {
    get: { summary: 'Liveness: the process answers.', ok: { 200: { description: 'Alive.', schema: 'HealthAnswer' } } },
    post: undefined,
  },
  '/readyz': {
    get: {
      summary: 'Readiness: the store answers.',
      ok: { 200: { description: 'Ready.', schema: 'ReadyAnswer' } },
      errors: [503],
    },
    post: undefined,
  },
  '/metrics': {
    get: { summary: 'Prometheus metrics.', ok: { 200: { description: 'The exposition format.', text: 'text/plain' } } },
    post: undefined,
  },
  '/': { get: { summary: 'Redirects to the dashboard.', ok: { 302: { description: 'To `/dashboard`.' } } }, post: undefined },
  '/agent': { get: page('The agent panel.'), post: undefined },
  '/agent/': { get: page('The agent panel.'), post: undefined },
  '/dashboard': { get: page('The supervisor dashboard.'), post: undefined },
  '/dashboard/': { get: page('The supervisor dashboard.'), post: undefined },
  '/assets/{file}': {
    get: { summary: 'The pages\u2019 scripts and styles.', params: [path('file', 'A built asset.')], ok: { 200: { description: 'The file.', text: 'application/octet-stream' } }, errors: [404] },
    post: undefined,
  },
};

function page(summary: string): Operation {
  // The token is entered in the page (or given as `#token=`), never sent to load it.
  return { summary, ok: { 200: { description: 'The page.', text: 'text/html' } } };
}

const ref = (name: HttpComponentName) => ({ $ref: `#/components/schemas/${name}` });

function answer(a: Answer): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (a.schema) content['application/json'] = { schema: ref(a.schema) };
  if (a.text) content[a.text] = { schema: { type: a.text === 'application/json' ? 'object' : 'string' } };
  return Object.keys(content).length === 0 ? { description: a.description } : { description: a.description, content };
}

const errorDescriptions: Record<number, string> = {
  400: 'INVALID_PAYLOAD (naming the `field`) or INVALID_JSON.',
  401: 'UNAUTHORIZED: no token, or an unknown or revoked one.',
  403: 'FORBIDDEN: the token\u2019s role may not.',
  404: 'NOT_FOUND: no such call, peer, queue, webhook or token.',
  413: 'PAYLOAD_TOO_LARGE.',
  429: 'RATE_LIMITED (with `Retry-After`).',
  501: 'NOT_SUPPORTED: no source that can control calls.',
  502: 'PBX_ERROR: the PBX refused; `message` is its text.',
  503: 'UNAVAILABLE: the store (or the PBX) cannot be reached; retry later.',
  504: 'TIMEOUT: the PBX did not answer in time.',
};

function operation(name: string, op: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, a] of Object.entries(op.ok)) responses[status] = answer(a);
  for (const status of op.errors ?? []) {
    responses[String(status)] = answer({ description: errorDescriptions[status] ?? 'An error.', schema: op.ackErrors ? 'FailedAck' : 'ErrorAnswer' });
  }
  const who = op.roles ? ` Token roles: ${op.roles.join(', ')}.` : ' No token needed.';
  return {
    operationId: name,
    summary: op.summary,
    description: `${op.summary}${who}`,
    ...(op.roles ? { security: [{ bearer: [] }], 'x-roles': op.roles } : { security: [] }),
    ...(op.params ? { parameters: op.params } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the hub's HTTP API. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [route, item] of Object.entries(operations)) {
    const out: Record<string, unknown> = {};
    for (const method of methods) {
      const op = item[method];
      if (op) out[method] = operation(`${method} ${route}`, op);
    }
    paths[route] = out;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shuttle CTI hub',
      version,
      description: 'The HTTP API of a shuttle-cti hub (docs/PROTOCOL.md). Errors are `{ error: { code, message, field? } }`; call control answers with its ack. Realtime events are socket.io, described in docs/PROTOCOL.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `shuttle-cti token create --role <role>`; `x-roles` names the roles each operation takes.' } },
      schemas: { ...componentSchemas(), ErrorCode: { type: 'string', enum: errorCode.options } },
    },
  };
}

/** The path and method of every operation the document lists (Fastify's `:param` form). */
export function documentedRoutes(): { method: Uppercase<Method>; url: string }[] {
  const upper = { get: 'GET', post: 'POST', put: 'PUT', delete: 'DELETE' } as const;
  return Object.entries(operations).flatMap(([route, item]) =>
    methods
      .filter((m) => item[m] !== undefined)
      .map((m) => ({ method: upper[m], url: route.replace(/\{(\w+)\}/g, ':$1') })),
  );
}
