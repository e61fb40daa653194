/**
 * Kysely's PostgreSQL dialect with one correction: a read whose connection is lost mid-statement
 * runs again on a fresh connection. Failovers, poolers (PgBouncer, RDS Proxy) and an operator's
 * `pg_terminate_backend` end server processes; the statement on it fails with SQLSTATE 57P01 or
 * "Connection terminated", though the database itself is fine.
 *
 * Only what is safe to run twice is retried: a `SELECT`/`WITH … SELECT` (read-only SQL) outside a
 * transaction. A write may have been applied before the connection died, and a statement inside
 * a transaction cannot move to another connection (the transaction died with it): both fail as
 * before, and the caller (a run's item, a request) handles the error. Up to `RETRIES` fresh
 * connections are tried, since the pool may hand out another idle connection of the same
 * terminated batch before it learns it is dead. A whole transaction is repeated one level up
 * (postgres-retry-transaction.ts); a COMMIT's error is marked here (`commitOutcomeUnknown`).
 */
import {
  PostgresDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

const RETRIES = 2;
const READ = /^\s*(select|with)\b/i;
const WRITE_IN_WITH = /\b(insert|update|delete|merge)\b/i;
const LOST_CODES = new Set(['57P01', '57P02', 'ECONNRESET', 'EPIPE']);
const LOST_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'terminating connection due to administrator command',
];

/** True when the statement failed because its connection died (not because of the statement). */
export function isConnectionLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('code' in error && typeof error.code === 'string' && LOST_CODES.has(error.code)) return true;
  const message = error instanceof Error ? error.message : '';
  return LOST_MESSAGES.some((known) => message.includes(known));
}

const COMMIT_SENT = Symbol('commit sent');

/** Marks `error` as raised by a COMMIT; answers it. */
function markCommitSent(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) {
    Object.defineProperty(error, COMMIT_SENT, { value: true });
  }
  return error;
}

/** True when the error came from a COMMIT: its outcome is unknown (it may have been applied). */
export function commitOutcomeUnknown(error: unknown): boolean {
  return typeof error === 'object' && error !== null && COMMIT_SENT in error;
}

function safeToRepeat(sql: string): boolean {
  return READ.test(sql) && !(/^\s*with\b/i.test(sql) && WRITE_IN_WITH.test(sql));
}

class RetryingConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      if (this.inTransaction || !safeToRepeat(query.sql) || !isConnectionLost(error)) throw error;
      return this.onFreshConnection<R>(query, error);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  private async onFreshConnection<R>(query: CompiledQuery, first: unknown) {
    let last = first;
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const fresh = await this.driver.acquireConnection();
      try {
        return await fresh.executeQuery<R>(query);
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        last = error;
      } finally {
        await this.driver.releaseConnection(fresh);
      }
    }
    throw last;
  }
}

class RetryingDriver implements Driver {
  private readonly connections = new WeakMap<DatabaseConnection, RetryingConnection>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapped = this.connections.get(connection);
    if (wrapped === undefined) {
      wrapped = new RetryingConnection(connection, this.inner);
      this.connections.set(connection, wrapped);
    }
    return wrapped;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const wrapped = connection as RetryingConnection;
    await this.inner.beginTransaction(wrapped.inner, settings);
    wrapped.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection) {
    const wrapped = connection as RetryingConnection;
    try {
      await this.inner.commitTransaction(wrapped.inner);
    } catch (error) {
      throw markCommitSent(error);
    } finally {
      wrapped.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    const wrapped = connection as RetryingConnection;
    try {
      await this.inner.rollbackTransaction(wrapped.inner);
    } catch (error) {
      // The connection died with its transaction (the server rolled it back): the error that
      // ended the transaction is the one to report, not this one.
      if (!isConnectionLost(error)) throw error;
    } finally {
      wrapped.inTransaction = false;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrapped = connection as RetryingConnection;
    wrapped.inTransaction = false;
    return this.inner.releaseConnection(wrapped.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** PostgresDialect whose driver repeats a read on a fresh connection (see the file comment). */
export class RetryingPostgresDialect extends PostgresDialect {
  constructor(config: PostgresDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new RetryingDriver(super.createDriver());
  }
}
