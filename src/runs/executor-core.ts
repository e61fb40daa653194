/**
 * The executor core: one execution of a run's items under a lease strategy
 * (lease-strategy.ts). The same loop for every topology:
 *
 *   claim the lease (the run's row) → load the context once (card, pinned version) → mark the
 *   run running (announced with the run as written) → execute the items (call the model, score,
 *   store, observe, publish; execute-items.ts) → grade the comparative assertions once every
 *   item is recorded (grade-comparisons.ts) → settle or fail (the strategy writes the end) →
 *   announce the end to the observers and the event bus.
 *
 * A heartbeat renews the lease every `heartbeatMs` and stops the execution when the strategy
 * says so (cancelled elsewhere, lease lost); its failures are logged, the lease then stays until
 * it expires.
 */
import type { ExpectedOutputMatch } from '../assertions/index.js';
import type { CardStore, CardVersionStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { ItemCache } from './execute-item.js';
import { executeItems, type RunObserver } from './execute-items.js';
import { gradeComparisons } from './grade-comparisons.js';
import type { LeaseStrategy, StopReason } from './lease-strategy.js';
import type { ResultWriter } from './result-writer.js';
import { loadRunContext, type RunContext } from './run-context.js';
import type { RunEventBus } from './run-events.js';
import type { Run } from './run-schema.js';
import type { RunStore } from './run-store.js';

export interface ExecutorCoreDeps {
  readonly runs: RunStore;
  readonly cards: CardStore;
  /** Prompt versions: the template a run pinned is the one it renders. */
  readonly versions?: CardVersionStore | undefined;
  readonly models: ModelClient;
  readonly events: RunEventBus;
  readonly logger: Logger;
  readonly writer: ResultWriter;
  /** How often the lease is renewed (and a cancel elsewhere noticed), in milliseconds. */
  readonly heartbeatMs: number;
  readonly answerCache?: ItemCache | undefined;
  /** How a test case's `expected_output` is compared (EXPECTED_OUTPUT_MATCH). */
  readonly expectedOutputMatch?: ExpectedOutputMatch | undefined;
  /** Calls every run observer, containing their failures. */
  readonly observe: (call: (observer: RunObserver) => void) => void;
}

/** One execution in progress: what stops it and what it still has to start. */
export interface Execution {
  readonly runId: string;
  readonly controller: AbortController;
  stop: StopReason | undefined;
  /** Items not started yet (for the queue-depth metric). */
  waiting: number;
}

/** Stops an execution: no new items start, in-flight model calls are aborted. */
export function stopExecution(execution: Execution, reason: StopReason, message?: string): void {
  execution.stop ??= reason;
  execution.controller.abort(new Error(message ?? `run ${reason}`));
}

/** Executes what `strategy` covers of the run; resolves when it has stopped. */
export async function executeUnderLease(
  deps: ExecutorCoreDeps,
  strategy: LeaseStrategy,
  execution: Execution,
): Promise<void> {
  const row = await strategy.claim();
  if (row === undefined) return;
  const heartbeat = setInterval(() => void beat(deps, strategy, execution), deps.heartbeatMs);
  heartbeat.unref();
  let tags: readonly string[] = [];
  let ended: Run | undefined;
  try {
    let failure: { readonly error: unknown } | undefined;
    try {
      const context = await loadRunContext(deps.cards, deps.versions, row);
      tags = context.card.tags;
      await runItems(deps, strategy, execution, context);
      // The post-outputs phase: comparative assertions, once every item of the run is recorded
      // (grade-comparisons.ts); nothing when this execution stopped early.
      if (execution.stop === undefined)
        await gradeComparisons(deps, context.row, execution.controller.signal);
    } catch (error) {
      failure = { error };
    }
    clearInterval(heartbeat);
    ended =
      failure === undefined
        ? await strategy.settle(row, execution.stop)
        : await strategy.fail(failure.error, execution.stop);
  } finally {
    clearInterval(heartbeat);
    await strategy.close();
  }
  if (ended !== undefined) {
    const run = ended;
    deps.observe((o) => o.onRunFinished?.(run, tags));
    deps.events.publish({ type: 'run.finished', run_id: run.id, run });
  }
}

async function runItems(
  deps: ExecutorCoreDeps,
  strategy: LeaseStrategy,
  execution: Execution,
  { row, card }: RunContext,
): Promise<void> {
  const { started, proceed } = await strategy.start(row);
  // The run as the status write answered it: no read after the write.
  if (started !== undefined)
    deps.events.publish({ type: 'run.started', run_id: started.id, run: started });
  if (!proceed) {
    execution.stop ??= 'cancel';
    return;
  }
  const signal = execution.controller.signal;
  await executeItems({
    row,
    card,
    runs: deps.runs,
    cards: deps.cards,
    models: deps.models,
    events: deps.events,
    writer: deps.writer,
    signal,
    shouldStop: () => execution.stop !== undefined,
    onWaiting: (waiting) => (execution.waiting = waiting),
    observe: deps.observe,
    ...(deps.answerCache === undefined ? {} : { answerCache: deps.answerCache }),
    ...(deps.expectedOutputMatch === undefined
      ? {}
      : { expectedOutputMatch: deps.expectedOutputMatch }),
    ...(strategy.slice === undefined ? {} : { slice: strategy.slice }),
    ...(strategy.slot === undefined ? {} : { slot: () => strategy.slot!(row, signal) }),
  });
}

/** Renews the lease; stops the execution when the strategy says it must. */
async function beat(
  deps: ExecutorCoreDeps,
  strategy: LeaseStrategy,
  execution: Execution,
): Promise<void> {
  const runId = execution.runId;
  try {
    const reason = await strategy.renew();
    if (reason === undefined) return;
    stopExecution(execution, reason);
    if (execution.stop === 'lost')
      deps.logger.warn({ runId }, 'lost the lease; stopping without writing');
  } catch (error) {
    // The database or Redis is unreachable: keep going; the lease stays until it expires.
    deps.logger.warn({ err: error, runId }, 'could not renew the lease');
  }
}
