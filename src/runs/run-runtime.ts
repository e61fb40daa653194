/**
 * Builds the run machinery of one process from the configuration: the event bus (Redis
 * pub/sub with REDIS_URL, else in process), the queue (BullMQ with RUN_QUEUE=redis, else in
 * process), the engine (commands; the in-process executor), and, when this process executes
 * jobs from the shared queue, the job executor, its cross-worker semaphore and the BullMQ
 * worker. Used by the API server and the worker entry alike.
 */
import type { Kysely } from 'kysely';
import type { CardStore } from '../cards/index.js';
import type { CardVersionStore } from '../cards/index.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { MemoryAnswerCache, type AnswerCache } from './answer-cache.js';
import type { ItemCache } from './execute-item.js';
import type { RunObserver } from './execute-items.js';
import { RunEngine } from './run-engine.js';
import { RunEvents, type RunEventBus } from './run-events.js';
import { RunExecutor } from './run-executor.js';
import { RunJobLeases } from './run-job-leases.js';
import { newLeaseOwner, RunLeases } from './run-lease.js';
import type { RunSemaphore } from './run-semaphore.js';
import { ACTIVE_RUN_STATUSES } from './run-schema.js';
import type { RunStore } from './run-store.js';
import type { JobOutcome, RunWorker } from './run-worker.js';

export interface RunRuntimeDeps {
  readonly db: Kysely<Database>;
  /** Prompt versions: the template a run pinned is the one it renders. */
  readonly versions?: CardVersionStore;
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly logger: Logger;
  readonly observers: readonly RunObserver[];
  /** Whether this process executes runs (in process, or jobs of the shared queue). */
  readonly executes: boolean;
  /**
   * Whether this process hears other processes' run events (it serves live progress, the API);
   * default true. A worker only publishes them.
   */
  readonly relaysEvents?: boolean;
  readonly heartbeatMs?: number;
  readonly onTakeover?: () => void;
  readonly onJob?: (outcome: JobOutcome) => void;
  /** An answer-cache lookup: hit or miss. */
  readonly onCacheLookup?: (hit: boolean) => void;
}

export interface RunRuntime {
  readonly engine: RunEngine;
  readonly events: RunEventBus;
  readonly leases: RunLeases;
  /** The executor of jobs from the shared queue, when this process executes them. */
  readonly jobs: RunExecutor | undefined;
  readonly worker: RunWorker | undefined;
  /** Items waiting (shared queue, or runs executing here) and the oldest waiting job's age. */
  backlog(): Promise<{ items: number; oldestAgeSeconds: number }>;
  /** Stops executing (in-flight work until the deadline), then closes queue and bus. */
  close(deadlineMs: number): Promise<void>;
}

export async function startRunRuntime(config: Config, deps: RunRuntimeDeps): Promise<RunRuntime> {
  const { redisUrl } = config;
  const { leaseTtlMs, queuePrefix } = config.runs;
  // The Redis and BullMQ parts load only with REDIS_URL: a process without them (the CLI, the
  // embedded default) never evaluates ioredis' commands or BullMQ.
  const events: RunEventBus =
    redisUrl === undefined
      ? new RunEvents()
      : await (
          await import('./redis-run-event-bus.js')
        ).RedisRunEventBus.connect(redisUrl, queuePrefix, deps.logger, deps.relaysEvents ?? true);
  const store: AnswerCache =
    redisUrl === undefined
      ? new MemoryAnswerCache(config.runs.cacheTtlMs)
      : new (await import('./redis-answer-cache.js')).RedisAnswerCache(
          redisUrl,
          queuePrefix,
          config.runs.cacheTtlMs,
        );
  const answerCache: ItemCache = { store, onLookup: (hit) => deps.onCacheLookup?.(hit) };
  const owner = newLeaseOwner();
  // Status writes go through the run store: sealed errors, and outbox events in the same commit.
  const leases = new RunLeases(deps.db, owner, leaseTtlMs, deps.runs);
  const heartbeatMs = deps.heartbeatMs ?? Math.max(50, Math.min(1000, Math.floor(leaseTtlMs / 3)));
  const shared = config.runs.queue === 'redis' && redisUrl !== undefined;
  const queue = shared
    ? new (await import('./bull-run-queue.js')).BullRunQueue({
        redisUrl,
        prefix: queuePrefix,
        jobItems: config.runs.jobItems,
        leaseTtlMs,
        onError: (error, message) => deps.logger.warn({ err: error }, message),
      })
    : undefined;
  const engine = new RunEngine({
    runs: deps.runs,
    cards: deps.cards,
    models: deps.models,
    events,
    logger: deps.logger,
    leases,
    observers: deps.observers,
    heartbeatMs,
    cancelWaitMs: config.runs.cancelWaitMs,
    cacheDefault: config.runs.cacheDefault,
    answerCache,
    expectedOutputMatch: config.runs.expectedOutputMatch,
    ...(deps.versions === undefined ? {} : { versions: deps.versions }),
    ...(queue === undefined ? {} : { queue: () => queue, executes: false }),
    ...(deps.onTakeover === undefined ? {} : { onTakeover: deps.onTakeover }),
  });
  let semaphore: RunSemaphore | undefined;
  let jobs: RunExecutor | undefined;
  let worker: RunWorker | undefined;
  if (shared && deps.executes) {
    const [{ RunSemaphore }, { startRunWorker }] = await Promise.all([
      import('./run-semaphore.js'),
      import('./run-worker.js'),
    ]);
    semaphore = new RunSemaphore(redisUrl, queuePrefix, leaseTtlMs);
    jobs = new RunExecutor({
      runs: deps.runs,
      slices: { leases: new RunJobLeases(deps.db, owner, leaseTtlMs), semaphore },
      cards: deps.cards,
      models: deps.models,
      events,
      logger: deps.logger,
      observers: deps.observers,
      heartbeatMs,
      answerCache,
      expectedOutputMatch: config.runs.expectedOutputMatch,
      resultLingerMs: config.runs.resultLingerMs,
      ...(deps.versions === undefined ? {} : { versions: deps.versions }),
      ...(deps.onTakeover === undefined ? {} : { onTakeover: deps.onTakeover }),
    });
    worker = startRunWorker({
      redisUrl,
      prefix: queuePrefix,
      leaseTtlMs,
      jobs: config.runs.workerJobs,
      executor: jobs,
      logger: deps.logger,
      ...(deps.onJob === undefined ? {} : { onJob: deps.onJob }),
      onExhausted: (runId, error) => void interruptExhausted(deps, events, runId, error),
    });
  }
  return {
    engine,
    events,
    leases,
    jobs,
    worker,
    backlog: () => engine.queue.backlog(),
    close: async (deadlineMs) => {
      // Jobs stopped by the shutdown throw, so BullMQ hands them to another worker. Every Redis
      // close below is bounded: a shutdown while Redis is down ends too.
      await Promise.all([engine.shutdown(deadlineMs), jobs?.shutdown(deadlineMs), worker?.close()]);
      await semaphore?.close();
      await store.close();
      await events.close();
    },
  };
}

/**
 * A job that used up its attempts: the run cannot complete on its own, so it ends
 * `interrupted` (resumable; its stored results are kept) instead of staying `running`.
 */
async function interruptExhausted(
  deps: RunRuntimeDeps,
  events: RunEventBus,
  runId: string,
  error: Error,
): Promise<void> {
  try {
    const run = await deps.runs.transition(runId, ACTIVE_RUN_STATUSES, {
      status: 'interrupted',
      error: `A job of the run failed every attempt: ${error.message}`,
      finished_at: new Date().toISOString(),
    });
    if (run !== undefined) events.publish({ type: 'run.finished', run_id: runId, run });
  } catch (e) {
    deps.logger.warn({ err: e, runId }, 'could not interrupt a run whose job failed');
  }
}
