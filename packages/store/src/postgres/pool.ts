import pg from 'pg';
import { CtiError, ErrorCode } from '@shuttle-cti/protocol';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

export interface PoolOptions {
  url: string;
  /** Sets `search_path` on every connection; a plain lower-case identifier. */
  schema?: string | undefined;
  max?: number | undefined;
  connectionTimeoutMs?: number | undefined;
  onError?: ((error: Error) => void) | undefined;
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws a readable error unless `schema` is a plain identifier (it goes into a startup option). */
export function checkSchemaName(schema: string): string {
  if (!schemaName.test(schema)) {
    throw new Error(`PostgreSQL schema name must match ${String(schemaName)} (got "${schema}")`);
  }
  return schema;
}

/**
 * A pool that survives the server going away: errors of idle connections are reported to
 * `onError` instead of crashing the process (an 'error' event without a listener throws),
 * the pool drops the broken connection and opens a new one on the next call. A connection
 * attempt gives up after `connectionTimeoutMs`, so calls reject instead of hanging while
 * the server is down; TCP keep-alive detects a silently vanished server.
 */
export function createPool(options: PoolOptions): PgPool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'shuttle-cti',
    ...(options.schema === undefined ? {} : { options: `-c search_path=${checkSchemaName(options.schema)}` }),
  });
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
]);

// pg reports these without a code; their text is the only thing to go by.
const unavailableMessages = /connection terminated|timeout exceeded when trying to connect|not queryable/i;

/** Whether `error` means "the server cannot be reached right now" rather than a bad query. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError && error.errors.some(isUnavailable)) return true;
  return unavailableMessages.test(error.message);
}

/** Connection failures become CtiError UNAVAILABLE (the hub answers 503); other errors pass unchanged. */
export function mapError(error: unknown): unknown {
  if (error instanceof CtiError || !isUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new CtiError(ErrorCode.UNAVAILABLE, `PostgreSQL is unavailable: ${reason}`, { cause: error });
}

/**
 * Runs `work` inside a transaction on one pooled connection. On any failure the connection
 * is destroyed rather than returned, so a half-broken one never goes back to the pool.
 */
export async function inTransaction<T>(
  pool: PgPool,
  work: (client: PgClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  let client: PgClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw mapError(error);
  }
  // A checked-out client emits 'error' when its connection drops; the pool only listens
  // to idle ones, and an unheard 'error' event would crash the process. The query in
  // flight rejects with the same error, so this listener has nothing more to do.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    client.off('error', ignore);
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.off('error', ignore);
    client.release(true);
    throw mapError(error);
  }
}
