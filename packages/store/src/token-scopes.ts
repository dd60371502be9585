import type { Scope } from '@shuttle-cti/protocol';
import type { Migration } from './migration.js';

/**
 * Version 7: token scopes (protocol 1.2, "Scopes"). `scope` is the JSON text of
 * `{ queues, peers }`, NULL for an unscoped token (which sees everything, as before).
 * `scope_changed_at` lets a hub re-check only the tokens whose scope changed since its
 * previous check, as it does for revocations.
 */
const migration = (time: 'TEXT' | 'TIMESTAMPTZ'): string => `
  ALTER TABLE tokens ADD COLUMN scope TEXT;
  ALTER TABLE tokens ADD COLUMN scope_changed_at ${time};
  CREATE INDEX tokens_scope_changed_at ON tokens (scope_changed_at) WHERE scope_changed_at IS NOT NULL;
`;

export const sqliteTokenScopeMigration: Migration = { version: 7, name: 'token scopes', sql: migration('TEXT') };
export const postgresTokenScopeMigration: Migration = { version: 7, name: 'token scopes', sql: migration('TIMESTAMPTZ') };

/** The column's text for a scope (NULL for none). */
export function scopeText(scope: Scope | null | undefined): string | null {
  return scope === null || scope === undefined ? null : JSON.stringify({ queues: scope.queues, peers: scope.peers });
}

/** The scope stored in the column; a value this release cannot read sees nothing rather than everything. */
export function scopeFromText(text: string | null): Scope | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as { queues?: unknown; peers?: unknown };
    const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { queues: names(parsed.queues), peers: names(parsed.peers) };
  } catch {
    return { queues: [], peers: [] };
  }
}
