import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/postgres/postgres-store.js';
import type { Store } from '../src/store.js';
import { ringing } from './conformance/context.js';
import { describePostgres, dropSchema, randomSchemaName, testDatabaseUrl } from './pg-helpers.js';
import { createTcpProxy, freePort, type TcpProxy } from './tcp-proxy.js';
import { until } from '../../../test-support/poll.js';

const stores: Store[] = [];
const proxies: TcpProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** The test database's URL, pointed at another port on 127.0.0.1. */
function urlOnPort(port: number): string {
  const url = new URL(testDatabaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

function open(port: number, schema = randomSchemaName()): Store {
  const store = createPostgresStore({ url: urlOnPort(port), schema, connectionTimeoutMs: 500, max: 2 });
  stores.push(store);
  return store;
}

describe('postgres store without a server', () => {
  it('rejects with UNAVAILABLE when nothing listens on the port', async () => {
    const store = open(await freePort());
    await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.appendEvents([ringing()])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.migrate()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('rejects with UNAVAILABLE, instead of hanging, when the server never answers', async () => {
    const port = await freePort();
    const silent = createTcpProxy(port, { host: '127.0.0.1', port: 1 }, false);
    proxies.push(silent);
    await silent.start();
    const store = open(port);
    await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.eventsAfter(0, 10)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describePostgres('postgres store when the server goes away', () => {
  const real = new URL(testDatabaseUrl);
  const target = { host: real.hostname, port: Number(real.port || 5432) };

  it('recovers by itself once the server is back, data intact', async () => {
    const port = await freePort();
    const schema = randomSchemaName();
    const proxy = createTcpProxy(port, target);
    proxies.push(proxy);
    const store = open(port, schema);
    try {
      await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });

      await proxy.start();
      await store.migrate();
      const stored = await store.appendEvents([ringing(), ringing()]);

      await proxy.stop();
      await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(store.eventsAfter(0, 10)).rejects.toMatchObject({ code: 'UNAVAILABLE' });

      await proxy.start();
      await store.ping();
      expect(await store.eventsAfter(0, 10)).toEqual(stored);
      const [next] = await store.appendEvents([ringing()]);
      expect(next?.seq).toBeGreaterThan(stored[1]?.seq ?? Infinity);
    } finally {
      await dropSchema(testDatabaseUrl, schema);
    }
  });

  it('rejects a call in flight when the connection is cut', async () => {
    const port = await freePort();
    const schema = randomSchemaName();
    const proxy = createTcpProxy(port, target);
    proxies.push(proxy);
    await proxy.start();
    const store = open(port, schema);
    // Hold the migration lock from a direct connection so that migrate() waits on the server.
    const holder = new pg.Client({ connectionString: testDatabaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(727001, hashtext($1))', [schema]);
      const migrating = store.migrate();
      migrating.catch(() => undefined);
      await waitForLockWaiter(holder);
      await proxy.stop();
      await expect(migrating).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      await holder.end();
      await dropSchema(testDatabaseUrl, schema);
    }
  });
});

/** Polls until some session waits for an advisory lock held by `holder` (deadline 10 s). */
async function waitForLockWaiter(holder: pg.Client): Promise<void> {
  const waiting = async (): Promise<boolean> =>
    ((await holder.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 727001")).rowCount ?? 0) > 0;
  await until(waiting, { what: 'migrate() to wait for the lock', ms: 10_000, everyMs: 0 });
}
