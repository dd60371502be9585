import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { pendingMigrations } from '../migration.js';
import { sqliteMigrations } from './migrations.js';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

/**
 * Opens (creating if needed) the database file and its parent directories, tuned for a
 * single busy writer: WAL lets readers run beside the writer, synchronous=NORMAL is
 * durable across process crashes in WAL mode (only an OS crash can lose the last commits),
 * and busy_timeout makes a second process wait for the lock instead of failing at once.
 */
export function openSqlite(file: string): SqliteDatabase {
  if (file !== ':memory:') {
    // The file holds token hashes, call data and CRM links: only the hub's user may read
    // it. SQLite gives its -wal and -shm files the mode of the database file.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Applies the missing migrations in one IMMEDIATE transaction: it takes the write lock
 * before reading `schema_migrations`, so two processes migrating the same file at once
 * apply each version exactly once.
 */
export function migrateSqlite(db: SqliteDatabase): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    const insert = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (const migration of pendingMigrations(sqliteMigrations, new Set(rows.map((r) => r.version)))) {
      db.exec(migration.sql);
      insert.run(migration.version, new Date().toISOString());
    }
  }).immediate();
}

/**
 * Prepared statements, compiled on first use and reused: preparing is the costly part of a
 * small query. Lazily, because the tables only exist after `migrate()`.
 */
export function createStatementCache(db: SqliteDatabase): (sql: string) => SqliteStatement {
  const cache = new Map<string, SqliteStatement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
