/**
 * Executes runs: every pending item (test case × model × repetition) with at most
 * `concurrency` in flight, each result persisted before its event is published. A process
 * executes a run only while it holds the run's lease (run-lease.ts); the heartbeat renews it
 * and notices when it is gone (cancelled elsewhere, or taken over after an expiry).
 *
 * How an execution ends, and what it writes:
 * - every item settled: `completed`, if the lease is still held and nobody cancelled;
 * - cancel (from any process, over the event bus or seen by the heartbeat): in-flight calls
 *   are aborted (their items stay missing); the status was already written by the cancel;
 * - shutdown: no new items start; in-flight ones may finish until the deadline, then are
 *   aborted; `interrupted`;
 * - lease lost: stops and writes nothing (the new owner decides);
 * - an error: `failed`.
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
import type { RunLeases } from './run-lease.js';
import type { RunStatus } from './run-schema.js';
import type { RunStore } from './run-store.js';
import { ResultWriter } from './result-writer.js';

type StopReason = 'cancel' | 'shutdown' | 'lost';

interface Execution {
  readonly controller: AbortController;
  stop: StopReason | undefined;
  /** Items not started yet (for the queue-depth metric). */
  waiting: number;
  done: Promise<void>;
}

export interface RunExecutorDeps {
  readonly runs: RunStore;
  readonly leases: RunLeases;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly events: RunEventBus;
  readonly logger: Logger;
  readonly observers?: readonly RunObserver[];
  /** How often a held lease is renewed (and a cancel elsewhere noticed), in milliseconds. */
  readonly heartbeatMs: number;
  readonly answerCache?: ItemCache;
  /** Prompt versions: the template a run pinned is the one it renders. */
  readonly versions?: CardVersionStore;
  /** How a test case's `expected_output` is compared (EXPECTED_OUTPUT_MATCH). */
  readonly expectedOutputMatch?: ExpectedOutputMatch;
  /** A run whose previous owner's lease had expired was taken over. */
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
}

export class RunExecutor {
  private readonly executions = new Map<string, Execution>();
  private readonly writer: ResultWriter;
  private readonly unsubscribe: () => void;
  private shuttingDown = false;

  constructor(private readonly deps: RunExecutorDeps) {
    this.writer = new ResultWriter((rows) => deps.runs.insertResults(rows));
    this.unsubscribe = deps.events.subscribeControl((message) => {
      if (message.type === 'run.cancel') this.stopLocal(message.run_id, 'cancel');
    });
  }

  /** Items of runs executing here that have not started yet. */
  queuedItemCount(): number {
    let total = 0;
    for (const execution of this.executions.values()) total += execution.waiting;
    return total;
  }

  /** Runs executing in this process right now. */
  activeRunCount(): number {
    return this.executions.size;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Whether this process executes the run now. */
  isLocal(runId: string): boolean {
    return this.executions.has(runId);
  }

  /** The local execution's end, if the run executes here. */
  settled(runId: string): Promise<void> | undefined {
    return this.executions.get(runId)?.done;
  }

  /**
   * Executes the run in this process if it can take its lease; resolves when it has stopped.
   * Does nothing for a run that is finished or executed by a live process elsewhere.
   */
  execute(runId: string): Promise<void> {
    const running = this.executions.get(runId);
    if (running !== undefined) return running.done;
    const controller = new AbortController();
    // Every in-flight model call listens on the run's signal: up to `concurrency` listeners.
    setMaxListeners(0, controller.signal);
    const execution: Execution = {
      controller,
      stop: undefined,
      waiting: 0,
      done: Promise.resolve(),
    };
    this.executions.set(runId, execution);
    execution.done = TracingService.traceFunction('run', () => this.run(runId, execution), {
      'pcs.run.id': runId,
    }).finally(() => this.executions.delete(runId));
    return execution.done;
  }

  /** Stops a run executing here; false when it does not execute here. */
  stopLocal(runId: string, reason: StopReason): boolean {
    const execution = this.executions.get(runId);
    if (execution === undefined) return false;
    execution.stop ??= reason;
    execution.controller.abort(new Error(reason === 'cancel' ? 'run cancelled' : `run ${reason}`));
    return true;
  }

  /** Stops starting items, lets in-flight ones finish until the deadline, then aborts them. */
  async shutdown(deadlineMs: number): Promise<void> {
    this.shuttingDown = true;
    const executions = [...this.executions.values()];
    for (const execution of executions) execution.stop ??= 'shutdown';
    const all = Promise.all(executions.map((e) => e.done));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([all, deadline]);
    clearTimeout(timer);
    for (const execution of executions)
      execution.controller.abort(new Error('server shutting down'));
    await all;
    this.unsubscribe();
  }

  private async run(runId: string, execution: Execution): Promise<void> {
    const { leases, logger } = this.deps;
    const lease = await leases.acquire(runId);
    if (lease === undefined) return;
    if (lease.takenOverFrom !== undefined) {
      logger.warn({ runId, previousOwner: lease.takenOverFrom }, 'took over an expired run lease');
      this.deps.onTakeover?.(runId, lease.takenOverFrom);
    }
    const heartbeat = setInterval(
      () => void this.heartbeat(runId, execution),
      this.deps.heartbeatMs,
    );
    heartbeat.unref();
    let tags: readonly string[] = [];
    try {
      tags = await this.runItems(runId, execution);
    } catch (error) {
      clearInterval(heartbeat);
      // A dependency's outage (database, Redis) pauses the run (interrupted: resumable, results
      // kept) instead of failing it; any other error fails it.
      const unavailable = isDependencyUnavailable(error);
      logger.error({ err: error, runId }, unavailable ? 'run interrupted' : 'run failed');
      const message = error instanceof Error ? error.message : String(error);
      const ended = await this.recordEnd(runId, {
        status: unavailable ? 'interrupted' : 'failed',
        error: message,
        finished_at: new Date().toISOString(),
      });
      if (ended)
        await this.publishFinished(runId, tags).catch((e: unknown) =>
          logger.error({ err: e, runId }, 'could not publish the end of the run'),
        );
      return;
    }
    clearInterval(heartbeat);
    if (execution.stop === 'lost') return;
    if (execution.stop === 'cancel') {
      await leases.release(runId);
      await this.publishFinished(runId, tags);
      return;
    }
    const status: RunStatus = execution.stop === 'shutdown' ? 'interrupted' : 'completed';
    // Conditional: a cancel written meanwhile stays (the run is cancelled, not completed).
    if (!(await leases.finish(runId, { status, finished_at: new Date().toISOString() })))
      await leases.release(runId);
    await this.publishFinished(runId, tags);
  }

  /** Returns the card's tags (for observers). */
  private async runItems(runId: string, execution: Execution): Promise<readonly string[]> {
    const { runs, leases } = this.deps;
    const row = await runs.getRunRow(runId);
    if (row === undefined) return [];
    const card = await pinnedCard(this.deps.cards, this.deps.versions, row);
    if (card === undefined) throw new Error('The prompt card was deleted');
    const started_at = row.started_at ?? new Date().toISOString();
    if (
      !(await leases.transition(runId, ['queued', 'running'], { status: 'running', started_at }))
    ) {
      execution.stop ??= 'cancel';
      return card.tags;
    }
    const started = await runs.getRun(runId);
    if (started !== undefined)
      this.deps.events.publish({ type: 'run.started', run_id: runId, run: started });
    await executeItems({
      row,
      card,
      runs,
      cards: this.deps.cards,
      models: this.deps.models,
      events: this.deps.events,
      writer: this.writer,
      signal: execution.controller.signal,
      shouldStop: () => execution.stop !== undefined,
      onWaiting: (waiting) => (execution.waiting = waiting),
      observe: (call) => this.observe(call),
      ...(this.deps.answerCache === undefined ? {} : { answerCache: this.deps.answerCache }),
      ...(this.deps.expectedOutputMatch === undefined
        ? {}
        : { expectedOutputMatch: this.deps.expectedOutputMatch }),
    });
    return card.tags;
  }

  /**
   * Records how a run ended, holding its lease. While the database is unavailable the write is
   * retried every second (until shutdown; then the lease expires and recovery marks the run
   * interrupted), so a run never stays `running` with nothing executing it.
   */
  private async recordEnd(
    runId: string,
    patch: Parameters<RunLeases['finish']>[1],
  ): Promise<boolean> {
    for (;;) {
      try {
        return await this.deps.leases.finish(runId, patch);
      } catch (error) {
        if (!isDependencyUnavailable(error) || this.shuttingDown) {
          this.deps.logger.error({ err: error, runId }, 'could not record the end of the run');
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Renews the lease; when that fails the run was cancelled or taken over: stop it. */
  private async heartbeat(runId: string, execution: Execution): Promise<void> {
    try {
      if (await this.deps.leases.renew(runId)) return;
      const row = await this.deps.runs.getRunRow(runId);
      this.stopLocal(runId, row?.status === 'cancelled' ? 'cancel' : 'lost');
      if (execution.stop === 'lost')
        this.deps.logger.warn({ runId }, 'lost the run lease; stopping without writing');
    } catch (error) {
      // The database is unreachable: keep going; the lease stays until it expires.
      this.deps.logger.warn({ err: error, runId }, 'could not renew the run lease');
    }
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
