/**
 * Executes runs in process: every test case × model × repetition, with at most `concurrency`
 * items in flight per run, each result persisted before its event is published.
 *
 * Lifecycle: queued → running → completed | cancelled | interrupted | failed.
 * - cancel: in-flight calls are aborted (their items stay missing), status `cancelled`.
 * - shutdown: no new items start; in-flight ones may finish until the deadline, then are
 *   aborted; status `interrupted`.
 * - start-up after a crash: runs left queued or running become `interrupted`.
 * - resume (interrupted or cancelled): runs only the items that have no result yet.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { CardStore } from '../cards/index.js';
import { isDatabaseUnavailable } from '../db/index.js';
import { AppError } from '../errors.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import {
  callItem,
  scoreItem,
  type AnsweredItem,
  type ItemOutcome,
  type RunItem,
} from './execute-item.js';
import type { RunEvents } from './run-events.js';
import {
  MAX_RUN_ITEMS,
  RESUMABLE_RUN_STATUSES,
  type Run,
  type RunRequest,
  type RunStatus,
} from './run-schema.js';
import { itemKey, toResult, type RunRow, type RunStore } from './run-store.js';
import { TracingService } from '../telemetry/tracing/index.js';
import { ResultWriter } from './result-writer.js';
import { ItemSpan } from './traced-item.js';
import { runPool } from './run-pool.js';
import { TestCaseSource } from './test-case-source.js';

/** An item before its test case is looked up. */
type PlannedItem = Omit<RunItem, 'testCase'>;

/** Observers of the engine (metrics, alerts); they must not throw, and failures are contained. */
export interface RunObserver {
  onResult?(run: RunRow, outcome: ItemOutcome, cardTags: readonly string[]): void;
  onRunFinished?(run: Run, cardTags: readonly string[]): void;
}

interface Execution {
  readonly controller: AbortController;
  /** Why it is stopping, if it is. */
  stop: 'cancel' | 'shutdown' | undefined;
  /** Items not started yet (for the queue-depth metric). */
  waiting: number;
  done: Promise<void>;
}

export interface RunEngineDeps {
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly events: RunEvents;
  readonly logger: Logger;
  readonly observers?: readonly RunObserver[];
}

export class RunEngine {
  private readonly executions = new Map<string, Execution>();
  private shuttingDown = false;
  private readonly writer: ResultWriter;

  constructor(private readonly deps: RunEngineDeps) {
    this.writer = new ResultWriter((rows) => deps.runs.insertResults(rows));
  }

  /** Items of active runs that have not started yet. */
  queuedItemCount(): number {
    let total = 0;
    for (const execution of this.executions.values()) total += execution.waiting;
    return total;
  }

  /** Runs in flight right now (for metrics and health). */
  activeRunCount(): number {
    return this.executions.size;
  }

  async create(cardId: string, request: RunRequest, userCategory: string): Promise<Run> {
    const card = await this.deps.cards.getCard(cardId);
    if (card === undefined) throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    const unknown = request.models
      .map((model, index) => ({ model, index }))
      .filter(({ model }) => this.deps.models.providerFor(model) === undefined);
    if (unknown.length > 0) {
      throw new AppError(
        'PCS_ERR_PROVIDER_UNKNOWN',
        `No configured provider for ${unknown.map((u) => u.model).join(', ')}; configured: ${this.deps.models.providerNames().join(', ')}`,
        unknown.map(({ index }) => ({
          field: `models.${index}`,
          message: 'has no configured provider',
        })),
      );
    }
    const testCases = await this.deps.cards.testCaseIds(cardId);
    if (testCases.length === 0) throw new AppError('PCS_ERR_RUN_NO_TEST_CASES');
    const total = testCases.length * request.models.length * request.repeat;
    if (total > MAX_RUN_ITEMS) {
      throw new AppError(
        'PCS_ERR_VALIDATION_FAILED',
        `The run would have ${total} items; the limit is ${MAX_RUN_ITEMS}`,
        [
          {
            field: 'repeat',
            message: `test cases × models × repeat must be at most ${MAX_RUN_ITEMS}`,
          },
        ],
      );
    }
    if (this.shuttingDown) throw new AppError('PCS_ERR_HTTP_SHUTTING_DOWN');
    const id = randomUUID();
    await this.deps.runs.createRun({
      id,
      prompt_card_id: cardId,
      status: 'queued',
      models: JSON.stringify(request.models),
      test_case_ids: JSON.stringify(testCases),
      concurrency: request.concurrency,
      repeat: request.repeat,
      total_items: total,
      user_category: userCategory,
      created_at: new Date().toISOString(),
    });
    this.launch(id);
    return (await this.deps.runs.getRun(id)) as Run;
  }

  async cancel(runId: string): Promise<Run> {
    const row = await this.deps.runs.getRunRow(runId);
    if (row === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    const execution = this.executions.get(runId);
    if (execution !== undefined) {
      execution.stop ??= 'cancel';
      execution.controller.abort(new Error('run cancelled'));
      await execution.done;
    } else if (
      !(await this.deps.runs.transition(runId, ['queued', 'running'], {
        status: 'cancelled',
        finished_at: new Date().toISOString(),
      }))
    ) {
      throw new AppError('PCS_ERR_RUN_NOT_CANCELLABLE', `The run is already ${row.status}`);
    }
    return (await this.deps.runs.getRun(runId)) as Run;
  }

  async resume(runId: string): Promise<Run> {
    const row = await this.deps.runs.getRunRow(runId);
    if (row === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    if (this.shuttingDown) throw new AppError('PCS_ERR_HTTP_SHUTTING_DOWN');
    const resumed = await this.deps.runs.transition(runId, RESUMABLE_RUN_STATUSES, {
      status: 'queued',
      finished_at: null,
      error: null,
    });
    if (!resumed || this.executions.has(runId)) {
      throw new AppError(
        'PCS_ERR_RUN_NOT_RESUMABLE',
        `The run is ${row.status}; only interrupted or cancelled runs can be resumed`,
      );
    }
    this.launch(runId);
    return (await this.deps.runs.getRun(runId)) as Run;
  }

  /** Marks runs a previous process left unfinished as interrupted. Call once at start-up. */
  async recover(): Promise<string[]> {
    const ids = await this.deps.runs.markUnfinishedInterrupted();
    if (ids.length > 0)
      this.deps.logger.warn(
        { runs: ids },
        'runs left unfinished by a previous process are now interrupted',
      );
    return ids;
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
  }

  private launch(runId: string): void {
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
    execution.done = this.execute(runId, execution)
      .catch(async (error: unknown) => {
        // A database outage pauses the run (interrupted: resumable, results kept) instead of
        // failing it; any other error fails it.
        const unavailable = isDatabaseUnavailable(error);
        this.deps.logger.error(
          { err: error, runId },
          unavailable ? 'run interrupted' : 'run failed',
        );
        const message = error instanceof Error ? error.message : String(error);
        await this.recordEnd(runId, {
          status: unavailable ? 'interrupted' : 'failed',
          error: message,
          finished_at: new Date().toISOString(),
        });
        await this.publishFinished(runId, []).catch((e: unknown) =>
          this.deps.logger.error({ err: e, runId }, 'could not publish the end of the run'),
        );
      })
      .finally(() => this.executions.delete(runId));
  }

  /**
   * Records how a run ended. While the database is unavailable the write is retried every
   * second (until shutdown, after which start-up recovery marks the run interrupted), so a run
   * never stays `running` with nothing executing it.
   */
  private async recordEnd(
    runId: string,
    patch: Parameters<RunStore['updateRun']>[1],
  ): Promise<void> {
    for (;;) {
      try {
        await this.deps.runs.updateRun(runId, patch);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || this.shuttingDown) {
          this.deps.logger.error({ err: error, runId }, 'could not record the end of the run');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** A span per run; the request that created or resumed the run is its parent. */
  private execute(runId: string, execution: Execution): Promise<void> {
    return TracingService.traceFunction('run', () => this.executeRun(runId, execution), {
      'pcs.run.id': runId,
    });
  }

  private async executeRun(runId: string, execution: Execution): Promise<void> {
    const runs = this.deps.runs;
    const row = await runs.getRunRow(runId);
    if (row === undefined) return;
    const card = await this.deps.cards.getCard(row.prompt_card_id);
    if (card === undefined) throw new Error('The prompt card was deleted');
    await runs.updateRun(runId, {
      status: 'running',
      started_at: row.started_at ?? new Date().toISOString(),
    });
    const started = (await runs.getRun(runId)) as Run;
    this.deps.events.publish({ type: 'run.started', run_id: runId, run: started });

    const items = await this.pendingItems(row);
    const testCases = await this.testCaseSource(row.prompt_card_id, items, row.concurrency);
    execution.waiting = items.length;
    const signal = execution.controller.signal;
    const models = this.deps.models;
    // The concurrency limit is about model calls. A slot takes its next item as soon as its
    // model has answered; scoring, storing and publishing the answer wait for the event loop's
    // check phase (setImmediate), after every answer that has arrived has started its next call.
    // Answers that wait behind bookkeeping would make every call look slower than the model
    // is (bench/run-throughput). Assertions that call a model are scored inside the slot, so
    // the limit holds for their calls too. Each result is still stored before its event is
    // published, and the run finishes only after every item has settled.
    const pending = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const track = (work: Promise<void>): void => {
      const settled = work.catch((error: unknown) => {
        failure ??= { error };
      });
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
    };
    const persist = async (outcome: ItemOutcome): Promise<void> => {
      const result = { ...outcome.row, run_id: runId };
      if (!(await this.writer.write(result))) return;
      this.observe((o) => o.onResult?.(row, { ...outcome, row: result }, card.tags));
      if (this.deps.events.hasSubscribers()) {
        this.deps.events.publish({ type: 'result', run_id: runId, result: toResult(result) });
      }
    };
    const scoreLater = (span: ItemSpan, answered: AnsweredItem): Promise<void> =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        let outcome: ItemOutcome;
        try {
          outcome = await scoreItem(answered, models, signal);
        } catch (error) {
          span.fail(error, signal);
          throw error;
        }
        span.finish(outcome);
        await persist(outcome);
      });
    await runPool(
      items,
      row.concurrency,
      () => execution.stop !== undefined || failure !== undefined,
      async (planned) => {
        execution.waiting--;
        const found = testCases.get(planned.testCaseId);
        const item: RunItem = {
          ...planned,
          testCase: found instanceof Promise ? await found : found,
        };
        const span = new ItemSpan(item);
        try {
          const stage = await span.within(() => callItem(card, item, models, signal));
          if ('finished' in stage) {
            span.finish(stage.finished);
            track(persist(stage.finished));
          } else if (!stage.answered.scoringCallsModel) {
            track(scoreLater(span, stage.answered));
          } else {
            const outcome = await span.within(() => scoreItem(stage.answered, models, signal));
            span.finish(outcome);
            track(persist(outcome));
          }
        } catch (error) {
          // Cancelled or shut down mid-call: the item stays missing.
          if (!span.fail(error, signal)) throw error;
        }
      },
    );
    // Settled promises leave the set as they go; wait until none is left.
    while (pending.size > 0) await Promise.all(pending);
    if (failure !== undefined) throw failure.error;

    const status: RunStatus =
      execution.stop === 'cancel'
        ? 'cancelled'
        : execution.stop === 'shutdown'
          ? 'interrupted'
          : 'completed';
    await runs.updateRun(runId, { status, finished_at: new Date().toISOString() });
    await this.publishFinished(runId, card.tags);
  }

  private async publishFinished(runId: string, tags: readonly string[]): Promise<void> {
    const run = await this.deps.runs.getRun(runId);
    if (run === undefined) return;
    this.observe((o) => o.onRunFinished?.(run, tags));
    this.deps.events.publish({ type: 'run.finished', run_id: runId, run });
  }

  /** Items of the run that have no result yet, in a stable order. */
  private async pendingItems(row: RunRow): Promise<PlannedItem[]> {
    const done = await this.deps.runs.completedItemKeys(row.id);
    const ids = JSON.parse(row.test_case_ids) as string[];
    const models = JSON.parse(row.models) as string[];
    const items: PlannedItem[] = [];
    for (let repetition = 1; repetition <= row.repeat; repetition++) {
      for (const id of ids) {
        for (const model of models) {
          if (done.has(itemKey(id, model, repetition))) continue;
          items.push({ testCaseId: id, model, repetition });
        }
      }
    }
    return items;
  }

  /**
   * Loads the test cases of the first items (two per slot), and schedules loading the rest for
   * when the first calls are in flight.
   */
  private async testCaseSource(
    cardId: string,
    items: readonly PlannedItem[],
    concurrency: number,
  ): Promise<TestCaseSource> {
    const source = new TestCaseSource(this.deps.cards, cardId);
    const first = new Set(items.slice(0, 2 * concurrency).map((item) => item.testCaseId));
    await source.loadFirst([...first]);
    if (items.some((item) => !first.has(item.testCaseId))) {
      // A failure reaches the items that wait for this load, which fails the run.
      setImmediate(() => void source.loadRest().catch(() => undefined));
    }
    return source;
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
