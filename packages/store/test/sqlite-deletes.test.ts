import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, ringing } from './conformance/context.js';
import { createTestSqliteStore, type TestSqliteStore } from './sqlite-helpers.js';

describe('SQLite store: deleting old rows', () => {
  let t: TestSqliteStore;
  beforeEach(async () => {
    t = await createTestSqliteStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('lets the event loop run between chunks instead of holding it for the whole delete', async () => {
    const { store } = t;
    await store.appendEvents(Array.from({ length: 2600 }, () => ringing({ time: at(0) })));
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const pruned = await store.pruneEventsBefore(at(10));
    counting = false;
    expect(pruned).toBe(2600);
    // 2,600 rows in chunks of 500: six statements, with the loop turning between them.
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
