/**
 * Kysely's SQLite dialect, rebuilt for a service whose database file other processes also
 * write (a backup, `npm run keys`, `encryption:rotate`):
 *
 * - **Waiting for another process's write lock never blocks the event loop.** better-sqlite3
 *   is synchronous, so SQLite's own `busy_timeout` is a busy wait on the only thread: 5 s of it
 *   froze every request, `/live` included. Here `busy_timeout` stays a few milliseconds and a
 *   statement that meets `SQLITE_BUSY` is run again after an asynchronous pause (5 ms doubling
 *   to 100 ms) until `lockWaitMs` has passed; then the error goes up (the API answers it 503
 *   `PCS_ERR_DATABASE_UNAVAILABLE`). A statement that failed with SQLITE_BUSY did nothing, so
 *   running it again is safe.
 * - **Reads do not queue behind a waiting write.** Kysely's dialect has one connection for
 *   everything; here a file database also gets a read-only connection, and a `SELECT`/`WITH`
 *   outside a transaction runs there (WAL lets it read the last commit while another
 *   connection, or process, writes). Writes and transactions take the write connection in turn.
 * - **Transactions take the write lock when they begin** (`BEGIN IMMEDIATE`), where waiting and
 *   retrying are safe; a deferred transaction that read first could only fail at its first write
 *   (SQLITE_BUSY_SNAPSHOT), which no retry of that statement can cure.
 * - **A rollback runs only while a transaction is open.** SQLite ends the transaction itself on
 *   some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM); Kysely's unconditional `rollback` then
 *   threw "cannot rollback - no transaction is active" and that error replaced the real one.
 *
 * Savepoints (nested transactions) are not offered; nothing here uses them.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { AsyncMutex } from './async-mutex.js';

/** SQLite's own busy wait per attempt (ms): short, because it blocks the event loop. */
export const SQLITE_BUSY_TIMEOUT_MS = 10;
const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 100;

function isBusy(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_BUSY_TIMEOUT')
  );
}

/** Runs `attempt` again after a growing asynchronous pause while it fails SQLITE_BUSY. */
async function whileBusy<T>(lockWaitMs: number, attempt: () => T): Promise<T> {
  const deadline = Date.now() + lockWaitMs;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }
}

/** Runs one compiled statement on `db`, shaped as Kysely's SQLite connection shapes it. */
function run<R>(
  db: BetterSqlite3.Database,
  query: CompiledQuery,
  statement = db.prepare(query.sql),
): QueryResult<R> {
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

const READ = /^\s*(select|with)\b/i;

/** One Kysely "connection": a handle on the driver that knows whether it is in a transaction. */
class SqliteSession implements DatabaseConnection {
  inTransaction = false;

  constructor(private readonly driver: LockAwareDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.driver.execute<R>(this, query);
  }
}

class LockAwareDriver implements Driver {
  private readonly writeLock = new AsyncMutex();

  constructor(
    private readonly writer: BetterSqlite3.Database,
    private readonly reader: BetterSqlite3.Database | undefined,
    private readonly lockWaitMs: number,
  ) {}

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new SqliteSession(this));
  }

  async execute<R>(session: SqliteSession, query: CompiledQuery): Promise<QueryResult<R>> {
    if (session.inTransaction) return whileBusy(this.lockWaitMs, () => run<R>(this.writer, query));
    const reader = this.reader;
    if (reader !== undefined && READ.test(query.sql)) {
      const statement = reader.prepare(query.sql);
      if (statement.readonly)
        return whileBusy(this.lockWaitMs, () => run<R>(reader, query, statement));
    }
    await this.writeLock.lock();
    try {
      return await whileBusy(this.lockWaitMs, () => run<R>(this.writer, query));
    } finally {
      this.writeLock.unlock();
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const session = connection as SqliteSession;
    await this.writeLock.lock();
    try {
      await whileBusy(this.lockWaitMs, () => this.writer.exec('begin immediate'));
      session.inTransaction = true;
    } catch (error) {
      this.writeLock.unlock();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // On failure the transaction stays this session's: Kysely rolls it back next.
    await whileBusy(this.lockWaitMs, () => this.writer.exec('commit'));
    this.end(connection as SqliteSession);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      if (this.writer.inTransaction) {
        await whileBusy(this.lockWaitMs, () => this.writer.exec('rollback'));
      }
    } finally {
      this.end(connection as SqliteSession);
    }
  }

  async releaseConnection(): Promise<void> {}

  destroy(): Promise<void> {
    this.reader?.close();
    this.writer.close();
    return Promise.resolve();
  }

  private end(session: SqliteSession): void {
    if (!session.inTransaction) return;
    session.inTransaction = false;
    this.writeLock.unlock();
  }
}

/** The SQLite dialect over a write connection and, for a file, a read-only one. */
export class LockAwareSqliteDialect implements Dialect {
  constructor(
    private readonly writer: BetterSqlite3.Database,
    private readonly reader: BetterSqlite3.Database | undefined,
    private readonly lockWaitMs: number,
  ) {}

  createDriver(): Driver {
    return new LockAwareDriver(this.writer, this.reader, this.lockWaitMs);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // Kysely's Dialect signature: the introspector takes any database.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
