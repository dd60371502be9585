import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { createPostgresStore, type PostgresStoreOptions } from '../src/postgres/postgres-store.js';
import type { Store } from '../src/store.js';

/** DATABASE_URL, or the local trust-auth server used in development. */
export const testDatabaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL cannot be used, or undefined when it answers. */
export async function probePostgres(url = testDatabaseUrl): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Probed once per test file that imports this module. */
export const postgresUnavailable = await probePostgres();

/**
 * `describe` for suites that need PostgreSQL. Without a server it skips, saying why,
 * except under CI=true, where the missing server is a failure.
 */
export function describePostgres(name: string, suite: () => void): void {
  if (postgresUnavailable === undefined) {
    describe(name, suite);
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('reaches PostgreSQL (required when CI=true)', () => {
        throw new Error(`PostgreSQL at ${redact(testDatabaseUrl)} is unreachable: ${postgresUnavailable}`);
      });
    });
  } else {
    console.warn(`skipping "${name}": PostgreSQL at ${redact(testDatabaseUrl)} is unreachable (${postgresUnavailable}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
    describe.skip(name, suite);
  }
}

/** A fresh schema name, so parallel test files never see each other's rows. */
export function randomSchemaName(): string {
  return `shuttle_test_${randomBytes(6).toString('hex')}`;
}

/** A migrated PostgreSQL store in a schema of its own. */
export interface TestPgStore {
  store: Store;
  url: string;
  schema: string;
  /** Another, migrated store on the same schema (a second hub process, or a restart). */
  reopen: (options?: Partial<PostgresStoreOptions>) => Promise<Store>;
  /** Closes every store opened here and drops the schema. */
  cleanup: () => Promise<void>;
}

/**
 * For tests of any package (inside `describePostgres`):
 * `const { store, cleanup } = await createTestPgStore();` and `await cleanup()` afterwards.
 */
export async function createTestPgStore(url = testDatabaseUrl): Promise<TestPgStore> {
  const schema = randomSchemaName();
  const opened: Store[] = [];
  const open = async (options: Partial<PostgresStoreOptions> = {}): Promise<Store> => {
    const store = createPostgresStore({ url, schema, max: 4, ...options });
    opened.push(store);
    await store.migrate();
    return store;
  };
  return {
    store: await open(),
    url,
    schema,
    reopen: open,
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      await dropSchema(url, schema);
    },
  };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
