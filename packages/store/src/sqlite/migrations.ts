import { sqliteCallsMigration, sqliteReportIndexesMigration, sqliteRollupMigration } from '../calls/sqlite-schema.js';
import { sqliteWebhooksMigration } from '../webhooks/schema.js';
import { checkMigrations, type Migration } from '../migration.js';
import { sqliteTokenScopeMigration } from '../token-scopes.js';

/**
 * SQLite schema, one entry per released change; never edit an entry once released, add one.
 * Times are ISO strings (TEXT), documents are JSON text.
 */
export const sqliteMigrations: readonly Migration[] = checkMigrations([
  {
    version: 1,
    name: 'initial schema',
    sql: `
      -- AUTOINCREMENT: a seq is never reused, even after the newest events are pruned.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event TEXT NOT NULL,
        uniqueid TEXT NOT NULL,
        time TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_time ON events (time);

      CREATE TABLE variables (
        uniqueid TEXT PRIMARY KEY,
        vars TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX variables_updated_at ON variables (updated_at);

      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        peer TEXT,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );

      -- pos keeps insertion order, which is the delivery order.
      CREATE TABLE outbox (
        pos INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        peer TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        acked_at TEXT
      );
      CREATE INDEX outbox_peer ON outbox (peer, pos);
      CREATE INDEX outbox_expires_at ON outbox (expires_at);

      CREATE TABLE realtime (
        pos INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        channel TEXT NOT NULL,
        reference TEXT NOT NULL,
        url TEXT NOT NULL,
        time TEXT NOT NULL
      );
      CREATE INDEX realtime_time ON realtime (time, pos);
      CREATE INDEX realtime_type_time ON realtime (type, time, pos);
    `,
  },
  {
    version: 2,
    name: 'event ids (idempotent ingest)',
    sql: `
      -- A source's own id for an event; NULL for events sent without one. Pruned with its
      -- event, so a repeat is recognised for as long as the event is kept.
      ALTER TABLE events ADD COLUMN eventid TEXT;
      CREATE UNIQUE INDEX events_eventid ON events (eventid) WHERE eventid IS NOT NULL;
    `,
  },
  sqliteCallsMigration,
  sqliteRollupMigration,
  sqliteTokenScopeMigration,
  sqliteWebhooksMigration,
  sqliteReportIndexesMigration,
]);
