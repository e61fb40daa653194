/**
 * The run engine of one process: the commands (any replica), the executor (when this process
 * executes runs), the queue and the event bus, and a sweep that interrupts runs whose
 * executing process died (in-process queue; a shared queue redelivers their jobs instead, and
 * the sweep enqueues again the runs a shared queue lost).
 *
 * Lifecycle: queued → running → completed | cancelled | interrupted | failed. Resume
 * (interrupted or cancelled) runs only the items that have no result yet.
 */
import type { ExpectedOutputMatch } from '../assertions/index.js';
import type { CardStore } from '../cards/index.js';
import type { CardVersionStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { ItemCache } from './execute-item.js';
import type { RunObserver } from './execute-items.js';
import { RunCommands } from './run-commands.js';
import type { RunEventBus } from './run-events.js';
import { RunExecutor } from './run-executor.js';
import { RunLeases } from './run-lease.js';
import { InProcessRunQueue, type RunQueue } from './run-queue.js';
import type { Run, RunRequest } from './run-schema.js';
import type { RunStore } from './run-store.js';

export type { RunObserver } from './execute-items.js';

export interface RunEngineDeps {
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly events: RunEventBus;
  readonly logger: Logger;
  readonly leases: RunLeases;
  readonly observers?: readonly RunObserver[];
  /** A shared queue; the in-process one (executing here) when absent. */
  readonly queue?: (executor: RunExecutor | undefined) => RunQueue;
  /** Whether this process executes runs (false for an API-only replica). Default true. */
  readonly executes?: boolean;
  readonly heartbeatMs?: number;
  readonly cancelWaitMs?: number;
  readonly cacheDefault?: boolean;
  readonly answerCache?: ItemCache;
  /** How a test case's `expected_output` is compared (EXPECTED_OUTPUT_MATCH). */
  readonly expectedOutputMatch?: ExpectedOutputMatch;
  /** Prompt versions: a run pins the card's latest at creation and renders it, resume too. */
  readonly versions?: CardVersionStore;
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
}

export class RunEngine {
  readonly executor: RunExecutor | undefined;
  readonly queue: RunQueue;
  private readonly commands: RunCommands;
  private sweep: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(private readonly deps: RunEngineDeps) {
    const ttl = deps.leases.ttlMs;
    this.executor =
      deps.executes === false
        ? undefined
        : new RunExecutor({
            runs: deps.runs,
            leases: deps.leases,
            cards: deps.cards,
            models: deps.models,
            events: deps.events,
            logger: deps.logger,
            ...(deps.observers === undefined ? {} : { observers: deps.observers }),
            // A third of the lease: two renewals may fail before it expires.
            heartbeatMs: deps.heartbeatMs ?? Math.max(50, Math.min(1000, Math.floor(ttl / 3))),
            ...(deps.onTakeover === undefined ? {} : { onTakeover: deps.onTakeover }),
            ...(deps.answerCache === undefined ? {} : { answerCache: deps.answerCache }),
            ...(deps.expectedOutputMatch === undefined
              ? {}
              : { expectedOutputMatch: deps.expectedOutputMatch }),
            ...(deps.versions === undefined ? {} : { versions: deps.versions }),
          });
    if (deps.queue !== undefined) this.queue = deps.queue(this.executor);
    else if (this.executor !== undefined) this.queue = new InProcessRunQueue(this.executor);
    else throw new Error('A process that does not execute runs needs a shared run queue');
    this.commands = new RunCommands({
      runs: deps.runs,
      leases: deps.leases,
      cards: deps.cards,
      models: deps.models,
      queue: this.queue,
      events: deps.events,
      logger: deps.logger,
      executor: this.executor,
      cancelWaitMs: deps.cancelWaitMs ?? 5000,
      cacheDefault: deps.cacheDefault ?? false,
      isShuttingDown: () => this.shuttingDown,
      ...(deps.onTakeover === undefined ? {} : { onTakeover: deps.onTakeover }),
      ...(deps.versions === undefined ? {} : { versions: deps.versions }),
    });
  }

  /** Items of runs executing here that have not started yet. */
  queuedItemCount(): number {
    return this.executor?.queuedItemCount() ?? 0;
  }

  /** Runs executing in this process right now. */
  activeRunCount(): number {
    return this.executor?.activeCount() ?? 0;
  }

  create(cardId: string, request: RunRequest, userCategory: string): Promise<Run> {
    return this.commands.create(cardId, request, userCategory);
  }

  cancel(runId: string): Promise<Run> {
    return this.commands.cancel(runId);
  }

  resume(runId: string): Promise<Run> {
    return this.commands.resume(runId);
  }

  /**
   * Interrupts runs whose executing process is gone; call at start-up. It repeats every lease
   * period, so a replica that died is noticed by the others (in-process queue) and runs a
   * shared queue lost are enqueued again.
   */
  async recover(): Promise<string[]> {
    const taken = await this.commands.recover();
    if (this.sweep === undefined) {
      let sweeping = false;
      this.sweep = setInterval(() => {
        // One sweep at a time: a slow one (a dependency down) is not stacked on.
        if (sweeping) return;
        sweeping = true;
        this.commands
          .recover()
          .catch((error: unknown) => {
            this.deps.logger.warn({ err: error }, 'lease sweep failed');
          })
          .finally(() => (sweeping = false));
      }, this.deps.leases.ttlMs);
      this.sweep.unref();
    }
    return taken;
  }

  /** Stops starting items, lets in-flight ones finish until the deadline, then aborts them. */
  async shutdown(deadlineMs: number): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.sweep);
    await this.executor?.shutdown(deadlineMs);
    await this.queue.close();
  }
}
