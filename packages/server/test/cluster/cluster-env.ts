/**
 * What the multi-hub tests share: a fresh PostgreSQL schema and Redis channel prefix per
 * test file (parallel runs never see each other), tokens, and hub processes on both.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import { createPostgresStore, type Store } from '@shuttle-cti/store';
import { dropSchema, postgresUnavailable, randomSchemaName, testDatabaseUrl } from '../../../store/test/pg-helpers.js';
import { createToken } from '../../src/auth.js';
import { startHubProcess, type HubProcess } from './hub-process.js';

export const testRedisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, or undefined when it answers PING. */
async function probeRedis(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname || '127.0.0.1');
    const done = (why: string | undefined): void => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(3000, () => done('no answer within 3 s'));
    socket.on('error', (error) => done(error.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG') ? undefined : `unexpected answer ${data.toString().trim()}`));
  });
}

const redisUnavailable = await probeRedis(testRedisUrl);

/**
 * `describe` for suites that need PostgreSQL and Redis: skipped, saying why, when either is
 * missing, except under CI=true, where that is a failure.
 */
export function describeCluster(name: string, suite: () => void): void {
  const missing = [
    postgresUnavailable === undefined ? undefined : `PostgreSQL (${postgresUnavailable})`,
    redisUnavailable === undefined ? undefined : `Redis at ${testRedisUrl} (${redisUnavailable})`,
  ].filter((m): m is string => m !== undefined);
  if (missing.length === 0) {
    describe(name, suite);
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('reaches PostgreSQL and Redis (required when CI=true)', () => {
        throw new Error(`unreachable: ${missing.join('; ')}`);
      });
    });
  } else {
    console.warn(`skipping "${name}": unreachable: ${missing.join('; ')} (.ci/run starts both; see its "Services" step for the commands)`);
    describe.skip(name, suite);
  }
}

export interface ClusterTokens {
  integration: string;
  supervisor: string;
  source: string;
  /** An agent token bound to `peer` (made on first use). */
  agent(peer: string): Promise<string>;
}

export interface ClusterEnv {
  /** The store every hub shares (the test reads it to know what was stored). */
  store: Store;
  tokens: ClusterTokens;
  /** Starts a hub process on the shared database, with `redisUrl` (default the test Redis). */
  startHub(name: string, redisUrl?: string, extraArgs?: readonly string[]): Promise<HubProcess>;
  cleanup(): Promise<void>;
}

/** The database URL with the schema as search_path, as an operator would give it. */
function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function createClusterEnv(
  cluster: { heartbeatMs?: number; pollMs?: number; ackTimeoutMs?: number } = {},
  /** More of the hubs' configuration (e.g. `webhooks`). */
  more: Record<string, unknown> = {},
): Promise<ClusterEnv> {
  const schema = randomSchemaName();
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
  await admin.end();

  const store = createPostgresStore({ url: testDatabaseUrl, schema, max: 4 });
  await store.migrate();
  const make = async (role: 'integration' | 'agent' | 'supervisor' | 'source', peer?: string): Promise<string> =>
    (await createToken(store, { role, peer, name: `cluster-test-${role}` })).secret;
  const agents = new Map<string, string>();
  const tokens: ClusterTokens = {
    integration: await make('integration'),
    supervisor: await make('supervisor'),
    source: await make('source'),
    async agent(peer) {
      const known = agents.get(peer);
      if (known) return known;
      const token = await make('agent', peer);
      agents.set(peer, token);
      return token;
    },
  };

  const dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-cluster-'));
  const configFile = join(dir, 'hub.json');
  const prefix = `shuttle-cti-test-${randomBytes(6).toString('hex')}`;
  await writeFile(
    configFile,
    JSON.stringify({ ...more, cluster: { prefix, heartbeatMs: cluster.heartbeatMs ?? 500, pollMs: cluster.pollMs ?? 60_000, ackTimeoutMs: cluster.ackTimeoutMs ?? 2000 } }),
  );
  const hubs: HubProcess[] = [];

  return {
    store,
    tokens,
    async startHub(name, redisUrl = testRedisUrl, extraArgs) {
      const hub = await startHubProcess({
        name,
        databaseUrl: withSearchPath(testDatabaseUrl, schema),
        redisUrl,
        configFile,
        dataDir: join(dir, name),
        ...(extraArgs ? { extraArgs } : {}),
      });
      hubs.push(hub);
      return hub;
    },
    async cleanup() {
      await Promise.all(hubs.map((hub) => hub.stop()));
      await store.close();
      await dropSchema(testDatabaseUrl, schema);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The value of a Prometheus metric without labels, from a hub's /metrics. */
export async function metric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** POSTs call events to a hub; the seqs it accepted (throws when the hub is unreachable). */
export async function postEvents(url: string, token: string, events: readonly object[]): Promise<number[]> {
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(events),
  });
  const body = (await response.json()) as { results?: { ok: boolean; seq?: number }[] };
  return (body.results ?? []).flatMap((r) => (r.ok && typeof r.seq === 'number' ? [r.seq] : []));
}

/** A ringing event for `peer` (the seed sample's fields), numbered by `n` for its uniqueid. */
export function ringing(seed: Record<string, unknown>, peer: string, n: number): Record<string, unknown> {
  return { ...seed, peer, uniqueid: `cluster-${n}`, callernum: String(1000 + n) };
}
