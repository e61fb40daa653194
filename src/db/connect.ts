/**
 * Opens the database named by `DATABASE_URL`: `sqlite:<path>` (better-sqlite3 in WAL mode,
 * `sqlite::memory:` for a throw-away database) or `postgres://…` (a `pg` pool).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { RetryingPostgresDialect } from './postgres-retry-dialect.js';
import { RetryingKysely } from './postgres-retry-transaction.js';
import { sqliteQuerySpan } from './query-spans.js';
import { LockAwareSqliteDialect, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-lock-dialect.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** For SQLite, the absolute file path (undefined in memory); for PostgreSQL, undefined. */
  readonly filePath: string | undefined;
  /** PostgreSQL only: the schema given in `ConnectOptions`, if any. */
  readonly schema?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL only: a schema to create and use (tests isolate themselves with it). */
  readonly postgresSchema?: string;
  /**
   * SQLite: how long a statement waits (asynchronously) for another process's write lock.
   * PostgreSQL: bound of a connection attempt, of a statement on the server
   * (`statement_timeout`) and of the wait for its answer on the client (a frozen server never
   * answers, so only the client side can bound it). Milliseconds; default 5000.
   */
  readonly timeoutMs?: number;
  /**
   * SQLite only: each connection's page cache (`PRAGMA cache_size`), KiB; default 16000 (the
   * driver's build default). The writer and the reader each fill theirs as the file grows.
   */
  readonly sqliteCacheSizeKib?: number;
  /** PostgreSQL only: an idle pooled connection failed (server stopped); the pool replaces it. */
  readonly onPoolError?: (error: Error) => void;
}

export function sqlitePathFromUrl(url: string): string | undefined {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === ':memory:' || path === '' ? undefined : resolve(path);
}

export async function connectDatabase(
  url: string,
  options: ConnectOptions = {},
): Promise<DatabaseHandle> {
  if (url.startsWith('sqlite:'))
    return connectSqlite(url, options.timeoutMs ?? 5000, options.sqliteCacheSizeKib ?? 16_000);
  return connectPostgres(url, options);
}

function connectSqlite(url: string, lockWaitMs: number, cacheSizeKib: number): DatabaseHandle {
  const filePath = sqlitePathFromUrl(url);
  if (filePath !== undefined) mkdirSync(dirname(filePath), { recursive: true });
  const sqlite = new SqliteDatabase(filePath ?? ':memory:');
  // WAL lets readers proceed while the runner writes results; NORMAL sync is durable across
  // process crashes (only an OS crash can lose the last transactions), which is the WAL default
  // recommendation. A second process (a CLI, a backup) holding the write lock is waited for
  // asynchronously (sqlite-lock-dialect.ts): SQLite's own busy wait would block the event loop.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // Negative: KiB rather than pages. Native memory V8 does not see; bounded per connection.
  sqlite.pragma(`cache_size = -${Math.trunc(cacheSizeKib)}`);
  // Reads outside transactions use their own connection, so they never wait behind a write.
  const reader =
    filePath === undefined ? undefined : new SqliteDatabase(filePath, { readonly: true });
  reader?.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  reader?.pragma(`cache_size = -${Math.trunc(cacheSizeKib)}`);
  // PostgreSQL gets its spans from the pg instrumentation; SQLite's come from Kysely's log.
  const db = new Kysely<Database>({
    dialect: new LockAwareSqliteDialect(sqlite, reader, lockWaitMs),
    log: sqliteQuerySpan,
  });
  return { db, kind: 'sqlite', filePath, close: () => db.destroy() };
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<DatabaseHandle> {
  const schema = options.postgresSchema;
  const timeoutMs = options.timeoutMs ?? 5000;
  const timeouts = {
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    keepAlive: true,
  };
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  }
  // Loaded here: a SQLite process (the CLI's embedded engine) never needs the driver, and
  // loading it costs a 1-test eval ~40 ms of CPU (it probes for a Cloudflare runtime, which
  // loads Node's fetch).
  const { default: pg } = await import('pg');
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: url, ...timeouts });
    await setup.connect();
    try {
      await setup.query(`create schema if not exists ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const serverOptions = [
    `-c statement_timeout=${timeoutMs}`,
    ...(schema === undefined ? [] : [`-c search_path=${schema}`]),
  ];
  const pool = new pg.Pool({
    connectionString: url,
    // Named in pg_stat_activity, so an operator (and the tests) can tell its backends apart.
    application_name: 'prompt-card-system',
    max: 10,
    ...timeouts,
    options: serverOptions.join(' '),
  });
  // Without a listener, a client's error (the server stopped) is an unhandled 'error' event that
  // ends the process. The pool listens on idle clients only; a client checked out by Kysely gets
  // its own listener here. A failed client is not queryable, so the pool drops it on release and
  // connects anew when asked.
  const onError = (error: Error) => options.onPoolError?.(error);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  // A read whose connection is terminated mid-statement runs again on a fresh one, and so does a
  // transaction whose connection died before its COMMIT.
  const db = new RetryingKysely<Database>({ dialect: new RetryingPostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    filePath: undefined,
    ...(schema === undefined ? {} : { schema }),
    close: () => db.destroy(),
  };
}
