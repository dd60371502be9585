import { postgresCallsMigration, postgresReportIndexesMigration, postgresRollupMigration } from '../calls/postgres-schema.js';
import { postgresWebhooksMigration } from '../webhooks/schema.js';
import { checkMigrations, type Migration } from '../migration.js';
import { postgresTokenScopeMigration } from '../token-scopes.js';

/**
 * PostgreSQL schema, one entry per released change; never edit an entry once released, add one.
 * Tables are created unqualified, in the first schema of the connection's search_path.
 * Stored documents use `json` (kept as sent, key order included); variables use `jsonb`
 * because they are merged in SQL.
 */
export const postgresMigrations: readonly Migration[] = checkMigrations([
  {
    version: 1,
    name: 'initial schema',
    sql: `
      -- An identity never hands out a value twice, even after the newest events are pruned.
      CREATE TABLE events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event TEXT NOT NULL,
        uniqueid TEXT NOT NULL,
        time TIMESTAMPTZ NOT NULL,
        body JSON NOT NULL
      );
      CREATE INDEX events_time ON events (time);

      CREATE TABLE variables (
        uniqueid TEXT PRIMARY KEY,
        vars JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX variables_updated_at ON variables (updated_at);

      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        peer TEXT,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      );

      -- pos keeps insertion order, which is the delivery order.
      CREATE TABLE outbox (
        pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        peer TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload JSON NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        acked_at TIMESTAMPTZ
      );
      CREATE INDEX outbox_peer ON outbox (peer, pos);
      CREATE INDEX outbox_expires_at ON outbox (expires_at);

      CREATE TABLE realtime (
        pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        channel JSON NOT NULL,
        reference TEXT NOT NULL,
        url TEXT NOT NULL,
        time TIMESTAMPTZ NOT NULL
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
  postgresCallsMigration,
  postgresRollupMigration,
  postgresTokenScopeMigration,
  postgresWebhooksMigration,
  postgresReportIndexesMigration,
]);
