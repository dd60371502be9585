import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../src/store.js';
import type { ConformanceContext } from './conformance/context.js';
import { eventIdTests } from './conformance/event-ids.js';
import { callTests } from './conformance/calls.js';
import { eventTests } from './conformance/events.js';
import { lifecycleTests } from './conformance/lifecycle.js';
import { outboxTests } from './conformance/outbox.js';
import { realtimeTests } from './conformance/realtime.js';
import { tokenTests } from './conformance/tokens.js';
import { variableTests } from './conformance/variables.js';
import { webhookTests } from './conformance/webhooks.js';

export interface ConformanceOptions {
  /** Opens another store on the same database as `store` (migrated); enables the persistence tests. */
  reopen?: (store: Store) => Promise<Store>;
}

/**
 * Registers the behaviour every Store must have. `makeStore` returns a store on a fresh,
 * empty, migrated database each time it is called (once per test). Stores are closed
 * after each test; deleting the databases is up to the caller.
 */
export function runStoreConformance(name: string, makeStore: () => Promise<Store>, options: ConformanceOptions = {}): void {
  describe(`${name} store conformance`, () => {
    let current: Store | undefined;
    const opened: Store[] = [];

    beforeEach(async () => {
      current = await makeStore();
      opened.push(current);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      current = undefined;
    });

    const reopen = options.reopen;
    const ctx: ConformanceContext = {
      store: () => {
        if (current === undefined) throw new Error('no store: used outside a test');
        return current;
      },
      reopen:
        reopen === undefined
          ? undefined
          : async (store) => {
              const again = await reopen(store);
              opened.push(again);
              return again;
            },
    };

    lifecycleTests(ctx);
    eventTests(ctx);
    eventIdTests(ctx);
    variableTests(ctx);
    tokenTests(ctx);
    outboxTests(ctx);
    realtimeTests(ctx);
    callTests(ctx);
    webhookTests(ctx);
  });
}

/** A store a test made, with how to reopen it and remove it afterwards. */
export interface TestDatabase {
  store: Store;
  reopen: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

/**
 * Runs the conformance suite on fresh test databases made by `create` (one per test),
 * reopening through the database that made each store and removing them all at the end.
 */
export function runConformanceOn(name: string, create: () => Promise<TestDatabase>): void {
  const databases = new Map<Store, TestDatabase>();
  afterAll(async () => {
    await Promise.all([...databases.values()].map((db) => db.cleanup()));
  });
  runStoreConformance(
    name,
    async () => {
      const db = await create();
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
}
