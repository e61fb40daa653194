/**
 * The BullMQ worker of a process that executes runs from the shared queue. Its job lock
 * lasts one lease period (`lockDuration`), renewed by BullMQ while the job runs; the stalled
 * check every half period hands a dead worker's jobs to another one. A job that used up its
 * attempts is reported (`onExhausted`: the run is interrupted, resumable, never left running),
 * and closing is bounded: with Redis down the connections are dropped after `closeMs`.
 */
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { Worker } from 'bullmq';
import type { Logger } from '../telemetry/logging/index.js';
import { timedOut, withDeadline } from './dependency-outage.js';
import { bullConnection, JOB_ATTEMPTS, RUN_QUEUE_NAME, type RunJobData } from './bull-run-queue.js';
import { RetryJobError } from './job-slice-lease.js';
import type { RunExecutor } from './run-executor.js';

export type JobOutcome = 'completed' | 'retried' | 'failed';

export interface RunWorkerOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly leaseTtlMs: number;
  /** Jobs this process executes at once. */
  readonly jobs: number;
  /** Executes the jobs (job-slice lease). */
  readonly executor: Pick<RunExecutor, 'executeJob'>;
  readonly logger: Logger;
  readonly onJob?: (outcome: JobOutcome) => void;
  /** A job failed its last attempt: the run cannot finish without a resume. */
  readonly onExhausted?: (runId: string, error: Error) => void;
  /** How long closing waits for Redis before dropping the connections (ms). Default 1000. */
  readonly closeMs?: number;
}

export interface RunWorker {
  isRunning(): boolean;
  close(): Promise<void>;
}

export function startRunWorker(options: RunWorkerOptions): RunWorker {
  const worker = new Worker<RunJobData>(
    RUN_QUEUE_NAME,
    // The job's span continues the trace of the request that enqueued the run.
    (job) =>
      context.with(propagation.extract(ROOT_CONTEXT, job.data.trace ?? {}), () =>
        options.executor.executeJob(job.data.runId, job.data.start, job.data.end),
      ),
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
    if (!retried && job !== undefined) options.onExhausted?.(job.data.runId, error);
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
    close: async () => {
      // Jobs in flight were stopped by the executor's shutdown; only Redis can keep this waiting.
      if ((await withDeadline(worker.close(), options.closeMs ?? 1000)) === timedOut) {
        options.logger.warn('run worker: Redis did not answer; connections dropped');
        void worker.disconnect().catch(() => undefined);
      }
    },
  };
}
