/** Run execution: concurrency, leases, the queue and its workers, the answer cache, comparisons. */
import { z } from 'zod';
import { bool, defineSlice, intBetween, port, variable } from './variable.js';

/**
 * How a test case's `expected_output` may be compared (EXPECTED_OUTPUT_MATCH). Stated here, in
 * the variable's slice, so that configuration imports no feature; the assertions import it.
 */
export const EXPECTED_OUTPUT_MATCHES = [
  'exact',
  'trimmed',
  'case-insensitive',
  'contains',
  'icontains',
] as const;

export const runs = defineSlice({
  title: 'Runs',
  env: {
    RUN_DEFAULT_CONCURRENCY: variable(intBetween(1, 256), {
      default: '4',
      description: 'A run’s concurrency when the request gives none.',
    }),
    RUN_MAX_CONCURRENCY: variable(intBetween(1, 1024), {
      default: '64',
      description: 'The most concurrency a run may ask for.',
    }),
    EXPECTED_OUTPUT_MATCH: variable(
      z.enum(EXPECTED_OUTPUT_MATCHES, {
        error: `must be one of ${EXPECTED_OUTPUT_MATCHES.join(', ')}`,
      }),
      {
        default: 'trimmed',
        description: `How a test case’s \`expected_output\` is compared: ${EXPECTED_OUTPUT_MATCHES.map((m) => `\`${m}\``).join(', ')}.`,
      },
    ),
    RUN_LEASE_TTL_MS: variable(intBetween(200, 3_600_000), {
      default: '30000',
      description:
        'How long a run’s lease lasts without a heartbeat (ms); a process that dies loses its runs after this.',
    }),
    RUN_CANCEL_WAIT_MS: variable(intBetween(0, 60_000), {
      default: '5000',
      description:
        'How long a cancel waits for another process to stop the run before answering (ms).',
    }),
    RUN_QUEUE: variable(z.enum(['memory', 'redis'], { error: 'must be memory or redis' }), {
      default: 'memory',
      description:
        '`memory`: runs execute in the accepting process; `redis`: BullMQ jobs on `REDIS_URL` for workers.',
    }),
    RUN_EXECUTION: variable(
      z.enum(['api', 'worker', 'both'], { error: 'must be api, worker or both' }),
      {
        default: 'both',
        description:
          '`api` (accept and enqueue only; needs `RUN_QUEUE=redis`), `worker` (execute only) or `both`.',
      },
    ),
    RUN_JOB_ITEMS: variable(intBetween(1, 10_000), {
      default: '100',
      description: 'Items per queue job: a run is split into jobs of this many items.',
    }),
    RUN_WORKER_JOBS: variable(intBetween(1, 256), {
      default: '4',
      description:
        'Queue jobs one process executes at once (each bounded by its run’s `concurrency` across workers).',
    }),
    RUN_RESULT_LINGER_MS: variable(intBetween(0, 1000), {
      default: '40',
      description:
        'Worker of the shared queue: how long a finished item’s result waits for others before they are stored together in one transaction (group commit), in milliseconds; 0 stores the results of one event-loop turn together. Delays a result’s storage and live event, never a model call.',
    }),
    RUN_QUEUE_PREFIX: variable(
      z
        .string()
        .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1–64 letters, digits, "_", ":", "." or "-"'),
      {
        default: 'pcs',
        description: 'Prefix of the Redis keys and channels of the run queue and event bus.',
      },
    ),
    WORKER_PORT: variable(port(), {
      // Not the API's 3001: a worker beside the API on one host would fail to listen.
      default: '3002',
      description:
        'Port of a worker’s `/live`, `/ready` and `/api/metrics` (the compose file sets 3001 in its own container).',
    }),
    CACHE_DEFAULT: variable(bool(), {
      default: 'false',
      description: 'Whether runs use the answer cache when their request has no `cache`.',
    }),
    CACHE_TTL_SECONDS: variable(intBetween(1, 31_536_000), {
      default: '3600',
      description:
        'How long a cached answer is kept (in process: an LRU of 10,000; Redis with `REDIS_URL`).',
    }),
    RUN_COMPARE_ALPHA: variable(
      z.coerce
        .number({ error: 'must be a number' })
        .gt(0, 'must be between 0 and 0.5')
        .lt(0.5, 'must be between 0 and 0.5'),
      {
        default: '0.05',
        description: 'Significance level of run comparisons (0–0.5; `?alpha=` overrides it).',
      },
    ),
  },
  config: (e) => ({
    runs: {
      defaultConcurrency: e.RUN_DEFAULT_CONCURRENCY,
      maxConcurrency: e.RUN_MAX_CONCURRENCY,
      expectedOutputMatch: e.EXPECTED_OUTPUT_MATCH,
      /** RUN_LEASE_TTL_MS: how long a run's lease lasts without a heartbeat. */
      leaseTtlMs: e.RUN_LEASE_TTL_MS,
      /** RUN_CANCEL_WAIT_MS: how long a cancel waits for another process to stop the run. */
      cancelWaitMs: e.RUN_CANCEL_WAIT_MS,
      /** RUN_QUEUE: `memory` (in process) or `redis` (BullMQ; needs REDIS_URL). */
      queue: e.RUN_QUEUE,
      /** RUN_EXECUTION: whether this process accepts runs (`api`), executes them (`worker`) or both. */
      execution: e.RUN_EXECUTION,
      /** RUN_JOB_ITEMS: items per queue job (a run is sharded into jobs of this size). */
      jobItems: e.RUN_JOB_ITEMS,
      /** RUN_WORKER_JOBS: queue jobs one process executes at once. */
      workerJobs: e.RUN_WORKER_JOBS,
      /** RUN_RESULT_LINGER_MS: a queue worker's group-commit window for results, in ms. */
      resultLingerMs: e.RUN_RESULT_LINGER_MS,
      /** RUN_QUEUE_PREFIX: prefix of the Redis keys and channels of the queue and event bus. */
      queuePrefix: e.RUN_QUEUE_PREFIX,
      /** WORKER_PORT: the worker's probe and metrics port. */
      workerPort: e.WORKER_PORT,
      /** CACHE_DEFAULT: whether runs use the answer cache when they do not say. */
      cacheDefault: e.CACHE_DEFAULT,
      /** CACHE_TTL_SECONDS, in milliseconds: how long a cached answer is kept. */
      cacheTtlMs: e.CACHE_TTL_SECONDS * 1000,
      /** Significance level of run comparisons (`?alpha=` overrides it per request). */
      compareAlpha: e.RUN_COMPARE_ALPHA,
    },
  }),
});
