/**
 * Executes one job of a run from a shared queue: items [start, end) of its plan, while
 * holding the job's lease (run-job-leases.ts), each model call inside a slot of the run's
 * cross-worker semaphore (run-semaphore.ts). Several workers execute jobs of one run at once.
 *
 * The run's status: the first job to start moves it queued → running; the job that finds every
 * item recorded moves it running → completed (conditional writes, so exactly one does); a cancel
 * (any process) is heard over the event bus or seen by the heartbeat and aborts in-flight calls.
 * A job that loses its lease or is stopped by a shutdown throws, so the queue retries it
 * elsewhere; only items without a result are called again.
 */
import type { CardVersionStore } from '../cards/index.js';
import type { ExpectedOutputMatch } from '../assertions/index.js';
import { setMaxListeners } from 'node:events';
import type { CardStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { TracingService } from '../telemetry/tracing/index.js';
import type { ItemCache } from './execute-item.js';
import { executeItems, pinnedCard, type RunObserver } from './execute-items.js';
import { isDependencyUnavailable } from './dependency-outage.js';
import type { RunEventBus } from './run-events.js';
import type { RunJobLeases } from './run-job-leases.js';
import { ACTIVE_RUN_STATUSES, type RunStatus } from './run-schema.js';
import type { RunSemaphore } from './run-semaphore.js';
import type { RunStore } from './run-store.js';
import { ResultWriter } from './result-writer.js';

type StopReason = 'cancel' | 'shutdown' | 'lost';

interface JobExecution {
  readonly runId: string;
  readonly controller: AbortController;
  stop: StopReason | undefined;
  waiting: number;
}

export interface RunJobExecutorDeps {
  readonly runs: RunStore;
  readonly leases: RunJobLeases;
  readonly semaphore: RunSemaphore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly events: RunEventBus;
  readonly logger: Logger;
  readonly observers?: readonly RunObserver[];
  readonly heartbeatMs: number;
  readonly answerCache?: ItemCache;
  /** Prompt versions: the template a run pinned is the one it renders. */
  readonly versions?: CardVersionStore;
  /** How a test case's `expected_output` is compared (EXPECTED_OUTPUT_MATCH). */
  readonly expectedOutputMatch?: ExpectedOutputMatch;
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
}

/** Thrown for a job that should run again later (possibly on another worker). */
export class RetryJobError extends Error {}

export class RunJobExecutor {
  private readonly executions = new Set<JobExecution>();
  private readonly writer: ResultWriter;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: RunJobExecutorDeps) {
    this.writer = new ResultWriter((rows) => deps.runs.insertResults(rows));
    this.unsubscribe = deps.events.subscribeControl((message) => {
      if (message.type === 'run.cancel') this.stopRun(message.run_id, 'cancel');
    });
  }

  /** Items of jobs executing here that have not started yet. */
  queuedItemCount(): number {
    let total = 0;
    for (const execution of this.executions) total += execution.waiting;
    return total;
  }

  activeJobCount(): number {
    return this.executions.size;
  }

  /** Executes items [start, end) of the run. Throws RetryJobError when it should run again. */
  execute(runId: string, start: number, end: number): Promise<void> {
    return TracingService.traceFunction('run.job', () => this.run(runId, start, end), {
      'pcs.run.id': runId,
      'pcs.run.job.start': start,
    });
  }

  /** Stops starting items and aborts in-flight calls after the deadline; jobs are retried. */
  async shutdown(deadlineMs: number): Promise<void> {
    for (const execution of this.executions) execution.stop ??= 'shutdown';
    const deadline = Date.now() + deadlineMs;
    while (this.executions.size > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    for (const execution of this.executions) execution.controller.abort(new Error('shutting down'));
    this.unsubscribe();
  }

  private stopRun(runId: string, reason: StopReason): void {
    for (const execution of this.executions) {
      if (execution.runId !== runId) continue;
      execution.stop ??= reason;
      execution.controller.abort(
        new Error(reason === 'cancel' ? 'run cancelled' : `job ${reason}`),
      );
    }
  }

  private async run(runId: string, start: number, end: number): Promise<void> {
    const { leases, runs, logger } = this.deps;
    // A job of a run that ended or was deleted (its card deleted) has nothing to do: it ends
    // here, rather than failing on the lease's foreign key and being retried without end.
    const active = async () => {
      const status = (await runs.getRunRow(runId))?.status as RunStatus | undefined;
      return status !== undefined && ACTIVE_RUN_STATUSES.includes(status);
    };
    if (!(await active())) return;
    let lease;
    try {
      lease = await leases.acquire(runId, start);
    } catch (error) {
      if (!(await active())) return;
      throw error;
    }
    if (!lease.acquired) throw new RetryJobError('another live process holds this job');
    if (lease.takenOverFrom !== undefined) {
      logger.warn(
        { runId, start, previousOwner: lease.takenOverFrom },
        'took over an expired job lease',
      );
      this.deps.onTakeover?.(runId, lease.takenOverFrom);
    }
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const execution: JobExecution = { runId, controller, stop: undefined, waiting: 0 };
    this.executions.add(execution);
    const stop = (reason: StopReason) => {
      execution.stop ??= reason;
      controller.abort(new Error(`job ${reason}`));
    };
    const heartbeat = setInterval(() => {
      void (async () => {
        if (!(await leases.renew(runId, start))) return stop('lost');
        const status = (await runs.getRunRow(runId))?.status as RunStatus | undefined;
        if (status === undefined || !ACTIVE_RUN_STATUSES.includes(status)) stop('cancel');
        await this.deps.semaphore.renew(runId);
      })().catch((error: unknown) =>
        logger.warn(
          { err: error, runId },
          'job heartbeat failed; the lease stays until it expires',
        ),
      );
    }, this.deps.heartbeatMs);
    heartbeat.unref();
    try {
      await this.runItems(runId, start, end, execution);
    } finally {
      clearInterval(heartbeat);
      this.executions.delete(execution);
      await leases.release(runId, start).catch(() => undefined);
    }
  }

  private async runItems(
    runId: string,
    start: number,
    end: number,
    execution: JobExecution,
  ): Promise<void> {
    const { runs } = this.deps;
    const row = await runs.getRunRow(runId);
    if (row === undefined || !ACTIVE_RUN_STATUSES.includes(row.status as RunStatus)) return;
    const card = await pinnedCard(this.deps.cards, this.deps.versions, row);
    try {
      if (card === undefined) throw new Error('The prompt card was deleted');
      const started_at = row.started_at ?? new Date().toISOString();
      if (await runs.transition(runId, ['queued'], { status: 'running', started_at })) {
        const run = await runs.getRun(runId);
        if (run !== undefined)
          this.deps.events.publish({ type: 'run.started', run_id: runId, run });
      }
      const signal = execution.controller.signal;
      await executeItems({
        row,
        card,
        runs,
        cards: this.deps.cards,
        models: this.deps.models,
        events: this.deps.events,
        writer: this.writer,
        signal,
        shouldStop: () => execution.stop !== undefined,
        onWaiting: (waiting) => (execution.waiting = waiting),
        observe: (call) => this.observe(call),
        ...(this.deps.answerCache === undefined ? {} : { answerCache: this.deps.answerCache }),
        ...(this.deps.expectedOutputMatch === undefined
          ? {}
          : { expectedOutputMatch: this.deps.expectedOutputMatch }),
        slice: { start, end },
        slot: () => this.deps.semaphore.acquire(runId, row.concurrency, signal),
      });
    } catch (error) {
      if (execution.stop === 'lost' || execution.stop === 'shutdown')
        throw new RetryJobError(`job ${execution.stop}`);
      if (execution.stop === 'cancel') return;
      // A dependency's outage (Redis, the database) is not the run's failure: retry the job.
      if (isDependencyUnavailable(error)) throw new RetryJobError('a dependency is unavailable');
      this.deps.logger.error({ err: error, runId, start }, 'run failed');
      const message = error instanceof Error ? error.message : String(error);
      if (
        await runs.transition(runId, ACTIVE_RUN_STATUSES, {
          status: 'failed',
          error: message,
          finished_at: new Date().toISOString(),
        })
      )
        await this.publishFinished(runId, card?.tags ?? []);
      return;
    }
    if (execution.stop === 'lost' || execution.stop === 'shutdown')
      throw new RetryJobError(`job ${execution.stop}`);
    if (execution.stop === 'cancel') return;
    if ((await runs.countResults(runId)) < row.total_items) return;
    if (
      await runs.transition(runId, ACTIVE_RUN_STATUSES, {
        status: 'completed',
        finished_at: new Date().toISOString(),
      })
    )
      await this.publishFinished(runId, card.tags);
  }

  private async publishFinished(runId: string, tags: readonly string[]): Promise<void> {
    const run = await this.deps.runs.getRun(runId);
    if (run === undefined) return;
    this.observe((o) => o.onRunFinished?.(run, tags));
    this.deps.events.publish({ type: 'run.finished', run_id: runId, run });
  }

  private observe(call: (observer: RunObserver) => void): void {
    for (const observer of this.deps.observers ?? []) {
      try {
        call(observer);
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'a run observer failed');
      }
    }
  }
}
