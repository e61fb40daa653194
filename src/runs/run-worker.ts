/**
 * The BullMQ worker of a process that executes runs from the shared queue. Its job lock
 * lasts one lease period (`lockDuration`), renewed by BullMQ while the job runs; the stalled
 * check every half period hands a dead worker's jobs to another one.
 */
import { Worker } from 'bullmq';
import type { Logger } from '../telemetry/logging/index.js';
import { bullConnection, JOB_ATTEMPTS, RUN_QUEUE_NAME, type RunJobData } from './bull-run-queue.js';
import { RetryJobError, type RunJobExecutor } from './run-job-executor.js';

export type JobOutcome = 'completed' | 'retried' | 'failed';

export interface RunWorkerOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly leaseTtlMs: number;
  /** Jobs this process executes at once. */
  readonly jobs: number;
  readonly executor: RunJobExecutor;
  readonly logger: Logger;
  readonly onJob?: (outcome: JobOutcome) => void;
}

export interface RunWorker {
  isRunning(): boolean;
  close(): Promise<void>;
}

export function startRunWorker(options: RunWorkerOptions): RunWorker {
  const worker = new Worker<RunJobData>(
    RUN_QUEUE_NAME,
    (job) => options.executor.execute(job.data.runId, job.data.start, job.data.end),
    {
      connection: bullConnection(options.redisUrl),
      prefix: options.prefix,
      concurrency: options.jobs,
      lockDuration: options.leaseTtlMs,
      stalledInterval: Math.max(500, Math.floor(options.leaseTtlMs / 2)),
      maxStalledCount: JOB_ATTEMPTS,
    },
  );
  worker.on('completed', () => options.onJob?.('completed'));
  worker.on('failed', (job, error) => {
    const retried = job !== undefined && job.attemptsMade < (job.opts.attempts ?? 1);
    options.onJob?.(retried ? 'retried' : 'failed');
    // A job handed back on purpose (lease held elsewhere, shutdown) is routine; any other
    // error (a wrong encryption key, a database fault) is logged where operators look.
    const routine = error instanceof RetryJobError;
    options.logger[!retried ? 'error' : routine ? 'debug' : 'warn'](
      { err: error, jobId: job?.id, runId: job?.data.runId, attempts: job?.attemptsMade },
      retried ? 'run job will be retried' : 'run job failed',
    );
  });
  worker.on('error', (error) => options.logger.warn({ err: error }, 'run worker error'));
  return {
    isRunning: () => worker.isRunning(),
    close: () => worker.close(),
  };
}
