import { z } from 'zod';

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
  /** Time-to-live of commands queued for a peer with no session. */
  outbox: z
    .object({
      agentCtiTtlMs: z.number().int().positive().default(60_000),
      notificationTtlMs: z.number().int().positive().default(300_000),
      sweepIntervalMs: z.number().int().positive().default(5_000),
    })
    .prefault({}),
  /** How long stored call events stay replayable. */
  retention: z
    .object({
      eventsMs: z.number().int().positive().default(7 * 24 * 3600_000),
      variablesMs: z.number().int().positive().default(24 * 3600_000),
      /** A live call with no end event after this long is dropped from the live view. */
      staleCallMs: z.number().int().positive().default(12 * 3600_000),
      sweepIntervalMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
  limits: z
    .object({
      /** Commands per second per integration connection (token bucket; burst = 2×). */
      commandsPerSecond: z.number().positive().default(2_000),
      /** Largest HTTP request body. */
      httpBodyBytes: z.number().int().positive().default(1024 * 1024),
      /** Largest socket.io message before the transport itself drops the connection. */
      socketMessageBytes: z.number().int().positive().default(1024 * 1024),
    })
    .prefault({}),
  /** How often connected sessions' tokens are re-checked (revocation takes effect within this). */
  tokenRecheckMs: z.number().int().positive().default(2_000),
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
