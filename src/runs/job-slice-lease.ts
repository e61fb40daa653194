/**
 * The job-slice lease strategy (lease-strategy.ts): a worker executes one job of a run from the
 * shared queue, items [start, end) of its plan, while holding the job's lease
 * (run-job-leases.ts), each model call inside a slot of the run's cross-worker semaphore
 * (run-semaphore.ts), at most the job's share of the run's concurrency at once. Several workers execute jobs of one run at once.
 *
 * The run's status: the first job to start moves it queued → running; the job that finds every
 * item recorded moves it running → completed (conditional writes, so exactly one does). A job
 * that loses its lease, is stopped by a shutdown or meets a dependency's outage throws
 * `RetryJobError`, so the queue retries it (possibly elsewhere); only items without a result
 * are called again. A job of a run that ended or was deleted ends at once.
 */
import type { Logger } from '../telemetry/logging/index.js';
import { isDependencyUnavailable } from './dependency-outage.js';
import type { LeaseStrategy, StopReason } from './lease-strategy.js';
import type { RunJobLeases } from './run-job-leases.js';
import { ACTIVE_RUN_STATUSES, type Run, type RunStatus } from './run-schema.js';
import type { JobSlots, RunSemaphore } from './run-semaphore.js';
import type { RunRow, RunStore } from './run-store.js';

/** Thrown for a job that should run again later (possibly on another worker). */
export class RetryJobError extends Error {}

export interface JobSliceLeaseDeps {
  readonly runs: RunStore;
  readonly leases: RunJobLeases;
  readonly semaphore: RunSemaphore;
  readonly logger: Logger;
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
}

const isActive = (row: RunRow | undefined): row is RunRow =>
  row !== undefined && ACTIVE_RUN_STATUSES.includes(row.status as RunStatus);

export class JobSliceLease implements LeaseStrategy {
  readonly span;
  readonly slice;
  private held = false;
  /** This job's share of the run's slots, joined at its first model call. */
  private slots: JobSlots | undefined;

  constructor(
    private readonly deps: JobSliceLeaseDeps,
    private readonly runId: string,
    start: number,
    end: number,
  ) {
    this.slice = { start, end };
    this.span = {
      name: 'run.job',
      attributes: { 'pcs.run.id': runId, 'pcs.run.job.start': start },
    };
  }

  async claim(): Promise<RunRow | undefined> {
    const { runs, leases, logger } = this.deps;
    const { start } = this.slice;
    // A job of a run that ended or was deleted (its card deleted) has nothing to do: it ends
    // here, rather than failing on the lease's foreign key and being retried without end.
    const row = await runs.getRunRow(this.runId);
    if (!isActive(row)) return undefined;
    let lease;
    try {
      lease = await leases.acquire(this.runId, start);
    } catch (error) {
      if (!isActive(await runs.getRunRow(this.runId))) return undefined;
      throw error;
    }
    if (!lease.acquired) throw new RetryJobError('another live process holds this job');
    this.held = true;
    if (lease.takenOverFrom !== undefined) {
      logger.warn(
        { runId: this.runId, start, previousOwner: lease.takenOverFrom },
        'took over an expired job lease',
      );
      this.deps.onTakeover?.(this.runId, lease.takenOverFrom);
    }
    return row;
  }

  async renew(): Promise<StopReason | undefined> {
    const { leases, semaphore } = this.deps;
    // One statement: the lease renewed and the run's status read (cancelled, ended, deleted).
    const renewed = await leases.renewAndRead(this.runId, this.slice.start);
    if (renewed === undefined) return 'lost';
    if (!ACTIVE_RUN_STATUSES.includes(renewed.status as RunStatus)) return 'cancel';
    await semaphore.renew(this.runId);
    return undefined;
  }

  async start(row: RunRow): Promise<{ started: Run | undefined; proceed: boolean }> {
    const started = await this.deps.runs.transition(this.runId, ['queued'], {
      status: 'running',
      started_at: row.started_at ?? new Date().toISOString(),
    });
    // Another job may have started the run already: this one executes its items all the same.
    return { started, proceed: true };
  }

  slot(row: RunRow, signal: AbortSignal): Promise<() => void> {
    this.slots ??= this.deps.semaphore.join(this.runId);
    return this.slots.acquire(row.concurrency, signal);
  }

  async settle(row: RunRow, stop: StopReason | undefined): Promise<Run | undefined> {
    if (stop === 'lost' || stop === 'shutdown') throw new RetryJobError(`job ${stop}`);
    if (stop === 'cancel') return undefined;
    if ((await this.deps.runs.countResults(row)) < row.total_items) return undefined;
    return this.deps.runs.transition(this.runId, ACTIVE_RUN_STATUSES, {
      status: 'completed',
      finished_at: new Date().toISOString(),
    });
  }

  async fail(error: unknown, stop: StopReason | undefined): Promise<Run | undefined> {
    if (stop === 'lost' || stop === 'shutdown') throw new RetryJobError(`job ${stop}`);
    if (stop === 'cancel') return undefined;
    // A dependency's outage (Redis, the database) is not the run's failure: retry the job.
    if (isDependencyUnavailable(error))
      throw new RetryJobError('a dependency is unavailable', { cause: error });
    this.deps.logger.error(
      { err: error, runId: this.runId, start: this.slice.start },
      'run failed',
    );
    return this.deps.runs.transition(this.runId, ACTIVE_RUN_STATUSES, {
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
      finished_at: new Date().toISOString(),
    });
  }

  async close(): Promise<void> {
    this.slots?.leave();
    if (!this.held) return;
    await this.deps.leases.release(this.runId, this.slice.start).catch(() => undefined);
  }
}
