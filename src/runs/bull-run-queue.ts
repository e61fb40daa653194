/**
 * The run queue on Redis with BullMQ. A run becomes jobs of `jobItems` items each (items
 * [start, end) of its plan, execute-items.ts), so a large run spreads over every worker.
 * BullMQ's job lock is renewed while a worker processes a job; a worker that dies stops
 * renewing it, and BullMQ's stalled-job check puts the job back in the queue for another
 * worker after `lockDuration` (the run lease period). Failed attempts (a job lease still held,
 * a database error) are retried with a fixed backoff.
 *
 * Redis faults: an enqueue waits at most `enqueueTimeoutMs` for Redis (the run is already
 * stored; the hand-over completes when Redis answers, or the sweep of run-commands.ts hands it
 * over again). Each handed-over run has a marker key (`<prefix>:run-enqueued:<run id>`) written
 * after its jobs: a run without one and without any live lease was lost by Redis (a flush, a
 * restart without persistence, an enqueue that never reached it) and is enqueued again.
 */
import { context, propagation } from '@opentelemetry/api';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { closeRedisClient, timedOut, withDeadline } from './dependency-outage.js';
import type { QueuedRun, RunQueue } from './run-queue.js';

export const RUN_QUEUE_NAME = 'run-items';

export interface RunJobData {
  readonly runId: string;
  /** Items [start, end) of the run's plan. */
  readonly start: number;
  readonly end: number;
  /**
   * W3C trace context (`traceparent`, `tracestate`) of the request that enqueued the run: the
   * worker's job span continues that trace (one trace per run, across the queue).
   */
  readonly trace?: Record<string, string>;
}

export interface BullRunQueueOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly jobItems: number;
  readonly leaseTtlMs: number;
  /** How long an enqueue waits for Redis before answering with the hand-over pending (ms). */
  readonly enqueueTimeoutMs?: number;
  /** Errors of the queue's Redis connection, and enqueues left pending by an outage. */
  readonly onError?: (error: unknown, message: string) => void;
}

/** Default of `enqueueTimeoutMs`. */
export const ENQUEUE_TIMEOUT_MS = 2000;
/** How long a handed-over run's marker lives without a sweep refreshing it (7 days). */
const MARKER_TTL_MS = 7 * 24 * 3600 * 1000;

/** The longest wait between two reconnection attempts to Redis, in milliseconds. */
export const RECONNECT_MAX_DELAY_MS = 1000;

/**
 * BullMQ connection options for a URL (workers need `maxRetriesPerRequest: null`). Reconnects
 * every `RECONNECT_MAX_DELAY_MS` at most: BullMQ's own strategy backs off to 20 s, so after an
 * outage of ~20 s the workers stayed away from Redis for up to 20 s more, and their jobs' locks
 * lapsed meanwhile.
 */
export function bullConnection(url: string): {
  url: string;
  maxRetriesPerRequest: null;
  retryStrategy: (times: number) => number;
} {
  return {
    url,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(RECONNECT_MAX_DELAY_MS, 50 * 2 ** Math.min(times, 10)),
  };
}

export const JOB_ATTEMPTS = 20;

export class BullRunQueue implements RunQueue {
  readonly inProcess = false;
  private readonly queue: Queue<RunJobData>;
  /** Markers and re-enqueue locks (BullMQ's connection is its own). */
  private readonly redis: Redis;

  constructor(private readonly options: BullRunQueueOptions) {
    this.queue = new Queue<RunJobData>(RUN_QUEUE_NAME, {
      connection: bullConnection(options.redisUrl),
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'fixed', delay: Math.max(100, Math.floor(options.leaseTtlMs / 3)) },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
    this.queue.on('error', (error) => options.onError?.(error, 'run queue: redis error'));
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined);
  }

  private marker(runId: string): string {
    return `${this.options.prefix}:run-enqueued:${runId}`;
  }

  /**
   * Hands the run's jobs to Redis; resolves once they and the marker are written, or after
   * `enqueueTimeoutMs` with the hand-over still pending (Redis down). Rejects only for an error
   * that is not an outage.
   */
  async enqueue(run: QueuedRun): Promise<void> {
    const handOver = this.handOver(run);
    const outcome = await withDeadline(
      handOver,
      this.options.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS,
    );
    if (outcome === timedOut)
      this.options.onError?.(
        new Error(`run ${run.id}: Redis did not answer`),
        'run queue: enqueue pending until Redis answers; the run stays queued',
      );
  }

  private async handOver(run: QueuedRun): Promise<void> {
    const size = this.options.jobItems;
    // A new generation per enqueue: a resumed run's jobs are new jobs, not the finished ones.
    const generation = Date.now().toString(36);
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    const traced = Object.keys(trace).length > 0;
    const jobs = [];
    for (let start = 0; start < run.total_items; start += size) {
      const end = Math.min(run.total_items, start + size);
      jobs.push({
        name: 'items',
        data: { runId: run.id, start, end, ...(traced ? { trace } : {}) },
        opts: { jobId: `${run.id}_${generation}_${start}` },
      });
    }
    await this.queue.addBulk(jobs);
    await this.redis.set(this.marker(run.id), generation, 'PX', MARKER_TTL_MS);
  }

  /**
   * Of these runs, those Redis has no marker for (lost, or never handed over); refreshes the
   * markers it has. Rejects when Redis does not answer within `enqueueTimeoutMs`.
   */
  async lost(runIds: readonly string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    const check = (async () => {
      const pipeline = this.redis.pipeline();
      for (const id of runIds) pipeline.pexpire(this.marker(id), MARKER_TTL_MS);
      const replies = (await pipeline.exec()) ?? [];
      return runIds.filter((_, i) => replies[i]?.[1] !== 1);
    })();
    const outcome = await withDeadline(check, this.options.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS);
    if (outcome === timedOut) throw new Error('Redis is unavailable');
    return outcome;
  }

  /**
   * Enqueues a lost run again, unless another process did within the lease period (a lock in
   * Redis); true when this call enqueued it.
   */
  async requeue(run: QueuedRun): Promise<boolean> {
    const lock = `${this.options.prefix}:run-requeue:${run.id}`;
    const bound = this.options.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS;
    const locked = await withDeadline(
      this.redis.set(lock, '1', 'PX', this.options.leaseTtlMs, 'NX'),
      bound,
    );
    if (locked === timedOut) throw new Error('Redis is unavailable');
    if (locked !== 'OK') return false;
    if ((await withDeadline(this.handOver(run), bound)) === timedOut)
      throw new Error('Redis is unavailable');
    return true;
  }

  /** Items of waiting jobs (from the first 1,000; the rest counted as full jobs) and the oldest's age. */
  async backlog(): Promise<{ items: number; oldestAgeSeconds: number }> {
    const outcome = await withDeadline(this.countBacklog(), 1000);
    if (outcome === timedOut) throw new Error('Redis is unavailable');
    return outcome;
  }

  private async countBacklog(): Promise<{ items: number; oldestAgeSeconds: number }> {
    const counts = await this.queue.getJobCounts('wait', 'prioritized');
    const waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
    if (waiting === 0) return { items: 0, oldestAgeSeconds: 0 };
    const jobs = await this.queue.getJobs(['wait'], 0, 999, true);
    let items = 0;
    let oldest = Date.now();
    for (const job of jobs) {
      items += job.data.end - job.data.start;
      oldest = Math.min(oldest, job.timestamp);
    }
    items += Math.max(0, waiting - jobs.length) * this.options.jobItems;
    return { items, oldestAgeSeconds: Math.max(0, (Date.now() - oldest) / 1000) };
  }

  /** Closes the connection, or drops it when Redis does not answer within a second. */
  async close(): Promise<void> {
    if ((await withDeadline(this.queue.close(), 1000)) === timedOut)
      void this.queue.disconnect().catch(() => undefined);
    await closeRedisClient(this.redis, 1000);
  }
}
