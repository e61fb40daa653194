/**
 * The executions of one process, over the executor core (executor-core.ts): whole runs from the
 * in-process queue (`execute`, WholeRunLease) and jobs from the shared queue (`executeJob`,
 * JobSliceLease). It tracks what executes here for the queue-depth metric, hears cancels over
 * the event bus (any process may cancel), and stops everything at shutdown: no new items start,
 * in-flight ones may finish until the deadline, then are aborted (a whole run ends
 * `interrupted`, a job is handed back to the queue).
 */
import type { ExpectedOutputMatch } from '../assertions/index.js';
import { setMaxListeners } from 'node:events';
import type { CardStore, CardVersionStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { TracingService } from '../telemetry/tracing/index.js';
import type { ItemCache } from './execute-item.js';
import type { RunObserver } from './execute-items.js';
import {
  executeUnderLease,
  stopExecution,
  type Execution,
  type ExecutorCoreDeps,
} from './executor-core.js';
import { JobSliceLease } from './job-slice-lease.js';
import type { LeaseStrategy, StopReason } from './lease-strategy.js';
import { ResultWriter } from './result-writer.js';
import type { RunEventBus } from './run-events.js';
import type { RunJobLeases } from './run-job-leases.js';
import type { RunLeases } from './run-lease.js';
import type { RunSemaphore } from './run-semaphore.js';
import type { RunStore } from './run-store.js';
import { WholeRunLease } from './whole-run-lease.js';

export interface RunExecutorDeps {
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly events: RunEventBus;
  readonly logger: Logger;
  /** Run leases: whole runs execute here (in-process queue). */
  readonly leases?: RunLeases;
  /** Job leases and the cross-worker semaphore: jobs of the shared queue execute here. */
  readonly slices?: { readonly leases: RunJobLeases; readonly semaphore: RunSemaphore };
  readonly observers?: readonly RunObserver[];
  /** How often a held lease is renewed (and a cancel elsewhere noticed), in milliseconds. */
  readonly heartbeatMs: number;
  readonly answerCache?: ItemCache;
  /** Prompt versions: the template a run pinned is the one it renders. */
  readonly versions?: CardVersionStore;
  /** How a test case's `expected_output` is compared (EXPECTED_OUTPUT_MATCH). */
  readonly expectedOutputMatch?: ExpectedOutputMatch;
  /** A run or job whose previous owner's lease had expired was taken over. */
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
  /** How long a result waits for others to be stored with (result-writer.ts), in ms; 0. */
  readonly resultLingerMs?: number;
}

interface Tracked extends Execution {
  /** A whole run (found by `isLocal`), not one job of it. */
  readonly whole: boolean;
  /** Settles (never rejects) when the execution has stopped. */
  done: Promise<void>;
}

export class RunExecutor {
  private readonly executions = new Set<Tracked>();
  private readonly core: ExecutorCoreDeps;
  private readonly unsubscribe: () => void;
  private shuttingDown = false;

  constructor(private readonly deps: RunExecutorDeps) {
    this.core = {
      ...deps,
      writer: new ResultWriter(
        (results) => deps.runs.recordResults(results),
        deps.resultLingerMs ?? 0,
      ),
      observe: (call) => this.observe(call),
    };
    this.unsubscribe = deps.events.subscribeControl((message) => {
      if (message.type === 'run.cancel') this.stopLocal(message.run_id, 'cancel');
    });
  }

  /** Items of runs and jobs executing here that have not started yet. */
  queuedItemCount(): number {
    let total = 0;
    for (const execution of this.executions) total += execution.waiting;
    return total;
  }

  /** Runs and jobs executing in this process right now. */
  activeCount(): number {
    return this.executions.size;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Whether this process executes the whole run now. */
  isLocal(runId: string): boolean {
    return this.find(runId) !== undefined;
  }

  /** The local execution's end, if the whole run executes here. */
  settled(runId: string): Promise<void> | undefined {
    return this.find(runId)?.done;
  }

  /**
   * Executes the whole run in this process if it can take its lease; resolves when it has
   * stopped. Does nothing for a run that is finished or executed by a live process elsewhere.
   */
  execute(runId: string): Promise<void> {
    const running = this.find(runId);
    if (running !== undefined) return running.done;
    const leases = this.deps.leases;
    if (leases === undefined) throw new Error('This executor has no run leases');
    const strategy = new WholeRunLease(
      {
        runs: this.deps.runs,
        leases,
        logger: this.deps.logger,
        isShuttingDown: () => this.shuttingDown,
        ...(this.deps.onTakeover === undefined ? {} : { onTakeover: this.deps.onTakeover }),
      },
      runId,
    );
    return this.track(runId, true, strategy);
  }

  /**
   * Executes items [start, end) of the run (one job of the shared queue). Rejects with
   * RetryJobError when the job should run again (lease lost, shutdown, a dependency down).
   */
  executeJob(runId: string, start: number, end: number): Promise<void> {
    const slices = this.deps.slices;
    if (slices === undefined) throw new Error('This executor has no job leases');
    const strategy = new JobSliceLease(
      {
        runs: this.deps.runs,
        leases: slices.leases,
        semaphore: slices.semaphore,
        logger: this.deps.logger,
        ...(this.deps.onTakeover === undefined ? {} : { onTakeover: this.deps.onTakeover }),
      },
      runId,
      start,
      end,
    );
    return this.track(runId, false, strategy);
  }

  /** Stops whatever of the run executes here; false when nothing does. */
  stopLocal(runId: string, reason: StopReason): boolean {
    let found = false;
    for (const execution of this.executions) {
      if (execution.runId !== runId) continue;
      found = true;
      stopExecution(execution, reason, reason === 'cancel' ? 'run cancelled' : undefined);
    }
    return found;
  }

  /** Stops starting items, lets in-flight ones finish until the deadline, then aborts them. */
  async shutdown(deadlineMs: number): Promise<void> {
    this.shuttingDown = true;
    const executions = [...this.executions];
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

  private track(runId: string, whole: boolean, strategy: LeaseStrategy): Promise<void> {
    const controller = new AbortController();
    // Every in-flight model call listens on the execution's signal: up to `concurrency` listeners.
    setMaxListeners(0, controller.signal);
    const execution: Tracked = {
      runId,
      whole,
      controller,
      stop: undefined,
      waiting: 0,
      done: Promise.resolve(),
    };
    this.executions.add(execution);
    const { name, attributes } = strategy.span;
    const result = TracingService.traceFunction(
      name,
      () => executeUnderLease(this.core, strategy, execution),
      attributes,
    ).finally(() => this.executions.delete(execution));
    execution.done = result.catch(() => undefined);
    return result;
  }

  private find(runId: string): Tracked | undefined {
    for (const execution of this.executions)
      if (execution.whole && execution.runId === runId) return execution;
    return undefined;
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
