import type { Migration } from '../migration.js';

function webhooksSql(kind: 'sqlite' | 'postgres'): string {
  const [int, big, doc, time] = kind === 'sqlite' ? ['INTEGER', 'INTEGER', 'TEXT', 'TEXT'] : ['INTEGER', 'BIGINT', 'JSON', 'TIMESTAMPTZ'];
  return `
    -- One row per registered webhook: its definition, the seq it has delivered up to, its
    -- counts and last outcome, and which hub delivers it (lease_until in ms since the epoch).
    CREATE TABLE webhooks (
      id TEXT PRIMARY KEY,
      definition ${doc} NOT NULL,
      secret TEXT NOT NULL,
      state TEXT NOT NULL,
      cursor_seq ${big} NOT NULL,
      delivered ${big} NOT NULL DEFAULT 0,
      failed ${big} NOT NULL DEFAULT 0,
      dropped ${big} NOT NULL DEFAULT 0,
      last_status ${int},
      last_error TEXT,
      last_at ${time},
      lease_owner TEXT,
      lease_until ${big},
      created_at ${time} NOT NULL
    );
  `;
}

/** Version 7: webhooks (protocol 1.2). */
export const sqliteWebhooksMigration: Migration = { version: 8, name: 'webhooks', sql: webhooksSql('sqlite') };
export const postgresWebhooksMigration: Migration = { version: 8, name: 'webhooks', sql: webhooksSql('postgres') };
