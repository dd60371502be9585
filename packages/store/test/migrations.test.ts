import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { checkMigrations, pendingMigrations } from '../src/migration.js';
import { postgresMigrations } from '../src/postgres/migrations.js';
import { createPostgresStore } from '../src/postgres/postgres-store.js';
import { sqliteMigrations } from '../src/sqlite/migrations.js';
import { createSqliteStore } from '../src/sqlite/sqlite-store.js';
import type { Store } from '../src/store.js';
import { ringing } from './conformance/context.js';
import { describePostgres, dropSchema, randomSchemaName, testDatabaseUrl } from './pg-helpers.js';
import { createTestSqliteStore } from './sqlite-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const m = (version: number) => ({ version, name: `m${version}`, sql: '' });

describe('migration lists', () => {
  it('are strictly increasing in both dialects, with the same versions', () => {
    expect(() => checkMigrations(sqliteMigrations)).not.toThrow();
    expect(sqliteMigrations.map((x) => x.version)).toEqual(postgresMigrations.map((x) => x.version));
    expect(() => checkMigrations([m(1), m(1)])).toThrow(/strictly increasing/);
    expect(() => checkMigrations([m(2), m(1)])).toThrow(/strictly increasing/);
  });

  it('pending: the missing ones in order; a version unknown to this release is an error', () => {
    expect(pendingMigrations([m(1), m(2), m(3)], new Set([2])).map((x) => x.version)).toEqual([1, 3]);
    expect(pendingMigrations([m(1)], new Set([1]))).toEqual([]);
    expect(() => pendingMigrations([m(1)], new Set([1, 7]))).toThrow(/version 7 is unknown/);
  });

  it('accept a gap: 3 without 2 now, and 2 applied after 3 once it is added', () => {
    expect(() => checkMigrations([m(1), m(3)])).not.toThrow();
    expect(pendingMigrations([m(1), m(3)], new Set()).map((x) => x.version)).toEqual([1, 3]);
    expect(pendingMigrations([m(1), m(2), m(3)], new Set([1, 3])).map((x) => x.version)).toEqual([2]);
  });
});

describe('sqlite migrations', () => {
  it('records each version once, in WAL mode, creating missing directories', async () => {
    const db = await createTestSqliteStore();
    cleanups.push(db.cleanup);
    expect(db.file).toMatch(/data[/\\]shuttle-cti\.sqlite$/);
    await db.store.migrate();
    const second = await db.reopen();
    await Promise.all([db.store.migrate(), second.migrate()]);
    const raw = new Database(db.file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = raw.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as {
        version: number;
        applied_at: string;
      }[];
      expect(rows.map((r) => r.version)).toEqual(sqliteMigrations.map((x) => x.version));
      for (const r of rows) expect(new Date(r.applied_at).toISOString()).toBe(r.applied_at);
    } finally {
      raw.close();
    }
  });

  it('fails before migrate, and refuses a database from a newer release', async () => {
    const db = await createTestSqliteStore();
    cleanups.push(db.cleanup);
    const fresh = createSqliteStore({ file: `${db.file}.fresh` });
    cleanups.push(() => fresh.close());
    await expect(fresh.appendEvents([ringing()])).rejects.toThrow(/no such table/);

    const raw = new Database(db.file);
    raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (999, ?)').run(new Date().toISOString());
    raw.close();
    await expect(db.store.migrate()).rejects.toThrow(/version 999 is unknown/);
  });
});

describePostgres('postgres migrations', () => {
  async function fresh(count: number): Promise<{ schema: string; stores: Store[] }> {
    const schema = randomSchemaName();
    const stores = Array.from({ length: count }, () => createPostgresStore({ url: testDatabaseUrl, schema, max: 2 }));
    cleanups.push(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await dropSchema(testDatabaseUrl, schema);
    });
    return { schema, stores };
  }

  async function appliedVersions(schema: string): Promise<number[]> {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>(
        `SELECT version FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
      );
      return rows.map((r) => r.version);
    } finally {
      await client.end();
    }
  }

  it('creates the schema, and applies each version once when several processes migrate at once', async () => {
    const { schema, stores } = await fresh(4);
    await Promise.all(stores.map((s) => s.migrate()));
    await Promise.all(stores.map((s) => s.migrate()));
    expect(await appliedVersions(schema)).toEqual(postgresMigrations.map((x) => x.version));
    const [event] = await (stores[0] as Store).appendEvents([ringing()]);
    expect(await (stores[3] as Store).eventsAfter(0, 10)).toEqual([event]);
  });

  it('fails before migrate, and refuses a database from a newer release', async () => {
    const { schema, stores } = await fresh(1);
    const store = stores[0] as Store;
    await expect(store.appendEvents([ringing()])).rejects.toThrow();
    await store.migrate();
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    await client.query(
      `INSERT INTO ${pg.escapeIdentifier(schema)}.schema_migrations (version, applied_at) VALUES (999, now())`,
    );
    await client.end();
    await expect(store.migrate()).rejects.toThrow(/version 999 is unknown/);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => createPostgresStore({ url: testDatabaseUrl, schema: 'x; DROP TABLE y' })).toThrow(/schema name/);
  });
});

describe('migration 2 (event ids) on a database of version 1', () => {
  it('sqlite: keeps the stored events, which have no id, and then recognises ids', async () => {
    const db = await createTestSqliteStore();
    cleanups.push(db.cleanup);
    await db.store.close();
    // Back to what a version-1 release left: its schema and one event.
    const raw = new Database(db.file);
    raw.exec('DROP INDEX events_eventid; ALTER TABLE events DROP COLUMN eventid; DELETE FROM schema_migrations WHERE version = 2');
    raw.prepare('INSERT INTO events (event, uniqueid, time, body) VALUES (?, ?, ?, ?)').run('ringing', 'u1', ringing().time, JSON.stringify(ringing()));
    raw.close();
    const store = await db.reopen();
    await store.migrate();
    const [old] = await store.eventsAfter(0, 10);
    expect(old?.seq).toBe(1);
    const [first] = await store.appendEvents([ringing({ eventid: 'after-upgrade' })]);
    const [again] = await store.appendEvents([ringing({ eventid: 'after-upgrade' })]);
    expect(again).toEqual({ ...first, duplicate: true });
  });

  describePostgres('postgres', () => {
    it('keeps the stored events, which have no id, and then recognises ids', async () => {
      const schema = randomSchemaName();
      const store = createPostgresStore({ url: testDatabaseUrl, schema, max: 2 });
      cleanups.push(async () => {
        await store.close();
        await dropSchema(testDatabaseUrl, schema);
      });
      await store.migrate();
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      const s = pg.escapeIdentifier(schema);
      await client.query(`DROP INDEX ${s}.events_eventid; ALTER TABLE ${s}.events DROP COLUMN eventid; DELETE FROM ${s}.schema_migrations WHERE version = 2`);
      await client.query(`INSERT INTO ${s}.events (event, uniqueid, time, body) VALUES ('ringing', 'u1', now(), $1)`, [JSON.stringify(ringing())]);
      await client.end();
      await store.migrate();
      expect(await store.eventsAfter(0, 10)).toHaveLength(1);
      const [first] = await store.appendEvents([ringing({ eventid: 'after-upgrade' })]);
      expect(await store.appendEvents([ringing({ eventid: 'after-upgrade' })])).toEqual([{ ...first, duplicate: true }]);
    });
  });
});
