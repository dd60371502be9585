import { z } from 'zod';

/** An http(s) origin (`https://hub2.example.com:8888`), without path; a trailing slash is dropped. */
const origin = z
  .string()
  .regex(/^https?:\/\/[^/?#\s]+\/?$/i, 'expected an http(s) origin such as https://hub2.example.com:8888, without a path')
  .transform((s) => new URL(s).origin);

/** Everything an operator can set; defaults are what `npm start` runs with. */
export const hubConfigSchema = z.object({
  port: z.number().int().min(0).max(65535).default(8888),
  host: z.string().min(1).default('0.0.0.0'),
  /** Where the SQLite file lives when no databaseUrl is given. */
  dataDir: z.string().min(1).default('./data'),
  /** postgres://… selects PostgreSQL; empty selects SQLite under dataDir. */
  databaseUrl: z.string().optional(),
  /** redis://… shares socket.io rooms with other hubs (scale-out). */
  redisUrl: z.string().optional(),
  /** Several hubs (only with redisUrl): see docs/running-several-hubs.md. */
  cluster: z
    .object({
      /** Redis channel prefix; hubs with the same prefix (and database) form one set. */
      prefix: z.string().min(1).max(100).default('shuttle-cti'),
      /** How long an AgentCTI ack waits for the other hubs to report their deliveries. */
      ackTimeoutMs: z.number().int().positive().default(1_000),
      /** How often each hub tells the others it is alive; one silent for 3× this counts as gone. */
      heartbeatMs: z.number().int().positive().default(2_000),
      /** How often each hub looks in the store for other hubs' events without waiting for Redis. */
      pollMs: z.number().int().positive().default(1_000),
    })
    .prefault({}),
  tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Lets integrations on 127.0.0.1/::1 connect to `/` without a token (off by default). */
  trustLoopbackIntegrations: z.boolean().default(false),
  /**
   * Browser origins, besides the hub's own, allowed to open socket.io connections (CORS
   * and the WebSocket Origin check): CRM pages that use the SDK in the browser. Other
   * hubs of `web.hubs` are allowed too. Clients that send no Origin (Node, scripts) are not concerned.
   */
  allowedOrigins: z.array(origin).max(100).default([]),
  /** The agent panel and dashboard (see docs/security.md). */
  web: z
    .object({
      /** Other hubs the pages may connect to and fail over to (`?hubs=` can only pick among these and the page's own origin). */
      hubs: z.array(origin).max(20).default([]),
      /** CSP `frame-ancestors`: who may embed /agent and /dashboard, e.g. `["'self'", "https://crm.example.com"]`. */
      frameAncestors: z.array(z.string().regex(/^[^\s;,]+$/, 'one CSP source per entry, without spaces, commas or semicolons')).min(1).max(50).default(["'self'"]),
    })
    .prefault({}),
  /** HTTP connections: timeouts against slow and idle clients, and caps. */
  connections: z
    .object({
      /** Most open TCP connections (HTTP, polling and WebSocket together); more are closed at once. */
      max: z.number().int().positive().default(10_000),
      /** Most open connections from one address; behind a reverse proxy every client has the proxy's. */
      maxPerAddress: z.number().int().positive().default(1_000),
      /** Time for a client to send a request's headers. */
      headersTimeoutMs: z.number().int().positive().default(10_000),
      /** Time for a client to send a whole request (headers and body). */
      requestTimeoutMs: z.number().int().positive().default(30_000),
      /** How long a kept-alive connection may wait for its next request. */
      keepAliveTimeoutMs: z.number().int().positive().default(10_000),
      /** A connection with no traffic either way for this long is closed (WebSockets ping every 25 s). */
      idleTimeoutMs: z.number().int().positive().default(120_000),
    })
    .prefault({}),
  /**
   * Failed authentications: once an address has this many within the window, its further
   * failures are answered RATE_LIMITED, and only after delayMs, until the window ends
   * (valid tokens are never held back).
   */
  authFailures: z
    .object({
      max: z.number().int().positive().default(20),
      windowMs: z.number().int().positive().default(60_000),
      delayMs: z.number().int().min(0).max(10_000).default(1_000),
    })
    .prefault({}),
  /** Time-to-live of commands queued for a peer with no session. */
  outbox: z
    .object({
      agentCtiTtlMs: z.number().int().positive().default(60_000),
      notificationTtlMs: z.number().int().positive().default(300_000),
      sweepIntervalMs: z.number().int().positive().default(5_000),
      /** Most unacknowledged commands kept per peer; the oldest are dropped (and counted) beyond it. */
      maxPerPeer: z.number().int().positive().default(1_000),
    })
    .prefault({}),
  /** How long stored call events stay replayable. */
  retention: z
    .object({
      eventsMs: z.number().int().positive().default(7 * 24 * 3600_000),
      variablesMs: z.number().int().positive().default(24 * 3600_000),
      /** Integration Realtime rows older than this are deleted. */
      realtimeMs: z.number().int().positive().default(30 * 24 * 3600_000),
      /** Call summaries (the reports' data), kept apart from the replayable events. */
      callsMs: z.number().int().positive().default(400 * 24 * 3600_000),
      /** A talking live call with no event for this long (a lost hangup) is dropped from the live view. */
      staleCallMs: z.number().int().positive().default(12 * 3600_000),
      sweepIntervalMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
  /** Bounds of the live view of the floor (supervisor snapshot and dashboards); see docs/PROTOCOL.md. */
  live: z
    .object({
      /** Most calls in progress kept; past it the waiting call updated longest ago is dropped (then the talking one). */
      maxCalls: z.number().int().positive().default(20_000),
      /** Most agents kept; past it the one offline longest is forgotten (then one without a panel). */
      maxAgents: z.number().int().positive().default(20_000),
      /** Most peers shown as rung for one call. */
      maxRingingPerCall: z.number().int().positive().default(1_000),
      /** A waiting call with no event for this long is dropped. */
      waitingCallMs: z.number().int().positive().default(2 * 3600_000),
      /** An agent offline (no panel, no call) with no change for this long is forgotten. */
      offlineAgentMs: z.number().int().positive().default(3600_000),
      /** How often the schedule runs. */
      sweepIntervalMs: z.number().int().positive().default(10_000),
      /** Largest JSON of a snapshot's calls and agents together; the rest is left out (and counted). */
      snapshotBytes: z.number().int().min(1024).default(4 * 1024 * 1024),
    })
    .prefault({}),
  limits: z
    .object({
      /** Commands per second per integration connection (token bucket; burst = 2×). */
      commandsPerSecond: z.number().positive().default(2_000),
      /** Commands per second per token, over all its connections (token bucket; burst = 2×). */
      commandsPerSecondPerToken: z.number().positive().default(4_000),
      /** HTTP API requests per second per token (token bucket; burst = 2×); then 429 RATE_LIMITED with Retry-After. */
      httpRequestsPerSecond: z.number().positive().default(2_000),
      /** Largest HTTP request body. */
      httpBodyBytes: z.number().int().positive().default(1024 * 1024),
      /** Largest socket.io message before the transport itself drops the connection. */
      socketMessageBytes: z.number().int().positive().default(1024 * 1024),
      /**
       * Overload: most events accepted and not yet handed to every integration and supervisor
       * connection; past it sources are refused (503 UNAVAILABLE with Retry-After) until it is half.
       */
      ingestBacklog: z.number().int().positive().default(10_000),
      /** Overload: how late the hub may run (oldest waiting event, event-loop delay, a stuck write buffer) before sources are refused. */
      ingestMaxLagMs: z.number().int().positive().default(250),
    })
    .prefault({}),
  /** How often connected sessions' tokens are re-checked (revocation takes effect within this). */
  tokenRecheckMs: z.number().int().positive().default(2_000),
  /** Reports (GET /api/v1/reports/…, the dashboard's Reports view, `shuttle-cti report`). */
  reports: z
    .object({
      /** IANA zone in which hours and days are cut; default the hub's own. */
      timeZone: z.string().min(1).max(64).optional(),
      /** Seconds within which an answer counts toward the service level, unless a report asks otherwise. */
      sla: z.number().int().min(0).max(3600).default(20),
      /** The service level (percent) the dashboard colours against. */
      serviceLevelTarget: z.number().min(0).max(100).default(80),
    })
    .prefault({}),
  /** Webhook delivery (protocol 1.2; see docs/PROTOCOL.md "Webhooks"). */
  webhooks: z
    .object({
      /** Longest a delivery (connection, request and answer) may take before it counts as failed. */
      timeoutMs: z.number().int().positive().default(10_000),
      /** First retry delay; each further one doubles, up to retryMaxMs, with jitter (50–100 %). */
      retryBaseMs: z.number().int().positive().default(1_000),
      retryMaxMs: z.number().int().positive().default(300_000),
      /** How long a hub holds a webhook without renewing; another hub takes a dead hub's webhooks over after it. */
      leaseMs: z.number().int().positive().default(15_000),
      /** How often each hub renews its leases and reads the webhook list (new, removed, disabled ones). */
      refreshMs: z.number().int().positive().default(2_000),
      /** A loop with nothing to deliver looks in the store this often even without being woken. */
      pollMs: z.number().int().positive().default(5_000),
      /** How long an enrichment answer is reused for the same calling number (a ringall makes one request). */
      enrichCacheMs: z.number().int().min(0).default(30_000),
      /** Most enrichment requests in flight per webhook; a ringing beyond it goes out without waiting. */
      enrichConcurrency: z.number().int().positive().default(32),
      /** Deliver from a worker thread (its own store connection), off the event loop that publishes events; false: in the main thread. */
      worker: z.boolean().default(true),
    })
    .prefault({}),
  /** Agents may join and leave queues themselves (AgentQueue); off by default (protocol 1.2). */
  agentsManageQueues: z.boolean().default(false),
  /** The pause reasons the agent panel offers. */
  pauseReasons: z.array(z.string().min(1).max(128)).max(50).default(['Break', 'Lunch', 'Training', 'Back office']),
  /** Integration Realtime rows in a supervisor snapshot. */
  snapshotRealtimeRows: z.number().int().min(0).max(1000).default(100),
});

export type HubConfigInput = z.input<typeof hubConfigSchema>;
export type HubConfig = z.output<typeof hubConfigSchema>;

export function resolveHubConfig(input: HubConfigInput = {}): HubConfig {
  return hubConfigSchema.parse(input);
}
