import { join } from 'node:path';
import { createPostgresStore } from './postgres/postgres-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface CreateStoreOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; unset or empty selects SQLite. */
  databaseUrl?: string | undefined;
  /** Where the SQLite file lives: `${dataDir}/shuttle-cti.sqlite`. */
  dataDir: string;
  /** SQLite: checkpoint in a worker thread (default true; see SqliteStoreOptions). */
  backgroundCheckpoints?: boolean;
  /** SQLite: told when the background checkpointer fails. */
  onCheckpointError?: (error: Error) => void;
}

/**
 * The store the configuration asks for. Call `migrate()` on it before use.
 *
 * @example
 * const store = createStore({ databaseUrl: process.env.DATABASE_URL, dataDir: './data' });
 * await store.migrate();
 */
export function createStore(options: CreateStoreOptions): Store {
  const url = options.databaseUrl?.trim() ?? '';
  if (url === '') {
    const { backgroundCheckpoints, onCheckpointError } = options;
    return createSqliteStore({
      file: join(options.dataDir, 'shuttle-cti.sqlite'),
      ...(backgroundCheckpoints === undefined ? {} : { backgroundCheckpoints }),
      ...(onCheckpointError ? { onCheckpointError } : {}),
    });
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return createPostgresStore({ url });
  // Only the scheme is echoed: the rest of the URL may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `unsupported DATABASE_URL${scheme === undefined ? ' (no scheme)' : ` scheme "${scheme}:"`}: ` +
      'use postgres:// or postgresql:// for PostgreSQL, or leave it unset for SQLite',
  );
}
