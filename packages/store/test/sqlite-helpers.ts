import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../src/sqlite/sqlite-store.js';
import type { Store } from '../src/store.js';

/** A migrated SQLite store on a file in its own temporary directory. */
export interface TestSqliteStore {
  store: Store;
  file: string;
  /** Another, migrated store on the same file (e.g. after closing `store`, to test persistence). */
  reopen: () => Promise<Store>;
  /** Closes every store opened here and deletes the directory. */
  cleanup: () => Promise<void>;
}

/**
 * For tests of any package: `const { store, cleanup } = await createTestSqliteStore();`
 * and `await cleanup()` in afterEach/afterAll.
 */
export async function createTestSqliteStore(): Promise<TestSqliteStore> {
  const dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-store-'));
  const file = join(dir, 'data', 'shuttle-cti.sqlite');
  const opened: Store[] = [];
  const open = async (): Promise<Store> => {
    const store = createSqliteStore({ file });
    opened.push(store);
    await store.migrate();
    return store;
  };
  return {
    store: await open(),
    file,
    reopen: open,
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
