/** The database and the shared Redis connection. */
import { defineSlice, matching, positiveInt, variable } from './variable.js';

export const database = defineSlice({
  title: 'Database and Redis',
  env: {
    DATABASE_URL: variable(
      matching(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://'),
      {
        default: 'sqlite:./data/prompt-cards.db',
        description: '`sqlite:<path>` or `postgres://user:password@host:5432/db`.',
      },
    ),
    DATABASE_TIMEOUT_MS: variable(positiveInt(), {
      default: '5000',
      description:
        'PostgreSQL connect, statement and answer timeout, and how long a SQLite write waits (without blocking the service) for another process’s write lock; past it the request is 503 `PCS_ERR_DATABASE_UNAVAILABLE`.',
    }),
    SQLITE_CACHE_SIZE_KIB: variable(positiveInt(), {
      default: '16000',
      description:
        'SQLite only: page cache of each database connection in KiB (`PRAGMA cache_size`; the service opens a writer and a reader). Resident memory grows by up to twice this as the database grows, then stops.',
    }),
    REDIS_URL: variable(matching(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'), {
      description:
        'Redis (`redis://host:6379`): the run queue, rate limits, the answer cache and the event bus use it when set; the `redis` health check runs.',
    }),
  },
  config: (e) => ({
    databaseUrl: e.DATABASE_URL,
    /** PostgreSQL connect, statement and query-read timeout; SQLite's wait for the write lock. */
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    /** SQLite's page cache per connection, KiB. */
    sqliteCacheSizeKib: e.SQLITE_CACHE_SIZE_KIB,
    redisUrl: e.REDIS_URL,
  }),
});
