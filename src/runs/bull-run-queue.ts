/**
 * The run queue on Redis with BullMQ. A run becomes jobs of `jobItems` items each (items
 * [start, end) of its plan, execute-items.ts), so a large run spreads over every worker.
 * BullMQ's job lock is renewed while a worker processes a job; a worker that dies stops
 * renewing it, and BullMQ's stalled-job check puts the job back in the queue for another
 * worker after `lockDuration` (the run lease period). Failed attempts (a job lease still held,
 * a database error) are retried with a fixed backoff.
 */
import { Queue } from 'bullmq';
import type { QueuedRun, RunQueue } from './run-queue.js';

export const RUN_QUEUE_NAME = 'run-items';

export interface RunJobData {
  readonly runId: string;
  /** Items [start, end) of the run's plan. */
  readonly start: number;
  readonly end: number;
}

export interface BullRunQueueOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly jobItems: number;
  readonly leaseTtlMs: number;
}

/** BullMQ connection options for a URL (workers need `maxRetriesPerRequest: null`). */
export function bullConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

export const JOB_ATTEMPTS = 20;

export class BullRunQueue implements RunQueue {
  readonly inProcess = false;
  private readonly queue: Queue<RunJobData>;

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
  }

  async enqueue(run: QueuedRun): Promise<void> {
    const size = this.options.jobItems;
    // A new generation per enqueue: a resumed run's jobs are new jobs, not the finished ones.
    const generation = Date.now().toString(36);
    const jobs = [];
    for (let start = 0; start < run.total_items; start += size) {
      const end = Math.min(run.total_items, start + size);
      jobs.push({
        name: 'items',
        data: { runId: run.id, start, end },
        opts: { jobId: `${run.id}_${generation}_${start}` },
      });
    }
    await this.queue.addBulk(jobs);
  }

  /** Items of waiting jobs (from the first 1,000; the rest counted as full jobs) and the oldest's age. */
  async backlog(): Promise<{ items: number; oldestAgeSeconds: number }> {
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

  async close(): Promise<void> {
    await this.queue.close();
  }
}
