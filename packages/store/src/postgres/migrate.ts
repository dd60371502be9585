import { pendingMigrations } from '../migration.js';
import { postgresMigrations } from './migrations.js';
import { inTransaction, type PgPool } from './pool.js';

/** Advisory lock class ids of this package (the object id is a hash of the schema). */
export const lockClass = { migrate: 727_001, append: 727_002, rollup: 727_003 } as const;

/**
 * Applies the missing migrations in one transaction (DDL is transactional in PostgreSQL:
 * a failed migration leaves nothing behind). A transaction-scoped advisory lock, taken
 * before anything is read or created, makes concurrent callers (several hubs starting at
 * once) wait for each other; the second one then finds nothing left to do.
 */
export async function migratePostgres(pool: PgPool, schema: string | undefined): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockClass.migrate, schema ?? '']);
    // The name was checked by checkSchemaName when the pool was created.
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    for (const migration of pendingMigrations(postgresMigrations, new Set(rows.map((r) => r.version)))) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        migration.version,
        new Date().toISOString(),
      ]);
    }
  });
}
