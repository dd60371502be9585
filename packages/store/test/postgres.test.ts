import { afterAll } from 'vitest';
import type { Store } from '../src/store.js';
import { runStoreConformance } from './conformance.js';
import { createTestPgStore, describePostgres, type TestPgStore } from './pg-helpers.js';

const databases = new Map<Store, TestPgStore>();

describePostgres('postgres', () => {
  afterAll(async () => {
    await Promise.all([...databases.values()].map((db) => db.cleanup()));
  });

  // Each test gets its own schema (dropped afterwards), so files and tests never share rows.
  runStoreConformance(
    'postgres',
    async () => {
      const db = await createTestPgStore();
      databases.set(db.store, db);
      return db.store;
    },
    {
      async reopen(store) {
        const db = databases.get(store);
        if (db === undefined) throw new Error('reopen: unknown store');
        return db.reopen();
      },
    },
  );
});
