import { afterAll } from 'vitest';
import type { Store } from '../src/store.js';
import { runStoreConformance } from './conformance.js';
import { createTestSqliteStore, type TestSqliteStore } from './sqlite-helpers.js';

const databases = new Map<Store, TestSqliteStore>();

afterAll(async () => {
  await Promise.all([...databases.values()].map((db) => db.cleanup()));
});

runStoreConformance(
  'sqlite',
  async () => {
    const db = await createTestSqliteStore();
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
