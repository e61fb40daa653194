/**
 * Runs the pending items of one run (those without a result), at most `concurrency` model
 * calls in flight, each result stored before its event is published. Used by the executor
 * core (executor-core.ts), whose lease strategy owns the lease and the run's status.
 */
import type { ExpectedOutputMatch } from '../assertions/index.js';
import type { Card, CardStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import {
  callItem,
  scoreItem,
  type AnsweredItem,
  type ItemCache,
  type ItemOutcome,
  type RunItem,
} from './execute-item.js';
import type { RunEventBus } from './run-events.js';
import type { Run } from './run-schema.js';
import { itemKey, type RunRow, type RunStore } from './run-store.js';
import type { ResultWriter } from './result-writer.js';
import { ItemSpan } from './traced-item.js';
import { runPool } from './run-pool.js';
import { TestCaseSource } from './test-case-source.js';

/** Observers of the engine (metrics, alerts); they must not throw, and failures are contained. */
export interface RunObserver {
  onResult?(run: RunRow, outcome: ItemOutcome, cardTags: readonly string[]): void;
  onRunFinished?(run: Run, cardTags: readonly string[]): void;
}

/** An item before its test case is looked up. */
export type PlannedItem = Omit<RunItem, 'testCase'>;

export interface ItemBatch {
  readonly row: RunRow;
  readonly card: Card;
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly events: RunEventBus;
  readonly writer: ResultWriter;
  readonly signal: AbortSignal;
  /** Checked before each item starts. */
  readonly shouldStop: () => boolean;
  /** Items not started yet, after each start. */
  readonly onWaiting: (waiting: number) => void;
  readonly observe: (call: (observer: RunObserver) => void) => void;
  /** Only these items (by position in the run's plan, see `planItems`); all when absent. */
  readonly slice?: { readonly start: number; readonly end: number };
  /** The answer cache, used when the run asks for it. */
  readonly answerCache?: ItemCache;
  /** How a test case's `expected_output` is compared (EXPECTED_OUTPUT_MATCH). */
  readonly expectedOutputMatch?: ExpectedOutputMatch;
  /** Waits for a slot of a bound shared with other processes; resolves with its release. */
  readonly slot?: () => Promise<() => void>;
}

/** Every item of a run in a stable order: repetition, then test case, then model. */
export function planItems(row: RunRow): PlannedItem[] {
  const ids = JSON.parse(row.test_case_ids) as string[];
  const models = JSON.parse(row.models) as string[];
  const items: PlannedItem[] = [];
  for (let repetition = 1; repetition <= row.repeat; repetition++)
    for (const id of ids)
      for (const model of models) items.push({ runId: row.id, testCaseId: id, model, repetition });
  return items;
}

export async function executeItems(batch: ItemBatch): Promise<void> {
  const { row, card, models, signal, events } = batch;
  const runId = row.id;
  const done = await batch.runs.completedItemKeys(runId);
  const planned = planItems(row).slice(batch.slice?.start ?? 0, batch.slice?.end);
  const items = planned.filter((i) => !done.has(itemKey(i.testCaseId, i.model, i.repetition)));
  const concurrency = row.concurrency;
  const cache = Number(row.cache) === 1 ? batch.answerCache : undefined;
  const match = batch.expectedOutputMatch ?? 'trimmed';
  const testCases = await testCaseSource(batch.cards, row.prompt_card_id, items, concurrency);
  let waiting = items.length;
  batch.onWaiting(waiting);
  // The concurrency limit is about model calls. A slot takes its next item as soon as its
  // model has answered; scoring, storing and publishing the answer wait for the event loop's
  // check phase (setImmediate), after every answer that has arrived has started its next call.
  // Answers that wait behind bookkeeping would make every call look slower than the model
  // is (bench/run-throughput). Assertions that call a model are scored inside the slot, so
  // the limit holds for their calls too. Each result is still stored before its event is
  // published, and the batch finishes only after every item has settled.
  const pending = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const track = (work: Promise<void>): void => {
    const settled = work.catch((error: unknown) => {
      failure ??= { error };
    });
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };
  // The typed result goes as it is to the store (which alone serialises it), the observers and
  // the event.
  const persist = async (outcome: ItemOutcome): Promise<void> => {
    if (!(await batch.writer.write(outcome.result))) return;
    batch.observe((o) => o.onResult?.(row, outcome, card.tags));
    if (events.hasSubscribers())
      events.publish({ type: 'result', run_id: runId, result: outcome.result });
  };
  const scoreLater = (span: ItemSpan, answered: AnsweredItem): Promise<void> =>
    new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      let outcome: ItemOutcome;
      try {
        outcome = await scoreItem(answered, models, signal, match);
      } catch (error) {
        span.fail(error, signal);
        throw error;
      }
      span.finish(outcome);
      await persist(outcome);
    });
  await runPool(
    items,
    concurrency,
    () => batch.shouldStop() || failure !== undefined,
    async (next, position) => {
      batch.onWaiting(--waiting);
      const found = testCases.get(position);
      const item: RunItem = { ...next, testCase: found instanceof Promise ? await found : found };
      const span = new ItemSpan(item);
      let release: (() => void) | undefined;
      try {
        release = await batch.slot?.();
        const stage = await span.within(() => callItem(card, item, models, signal, cache));
        if ('finished' in stage) {
          span.finish(stage.finished);
          track(persist(stage.finished));
        } else if (!stage.answered.scoringCallsModel) {
          track(scoreLater(span, stage.answered));
        } else {
          const outcome = await span.within(() => scoreItem(stage.answered, models, signal, match));
          span.finish(outcome);
          track(persist(outcome));
        }
      } catch (error) {
        // Cancelled or shut down mid-call (or while waiting for a slot): the item stays missing.
        if (!span.fail(error, signal)) throw error;
      } finally {
        release?.();
      }
    },
  );
  // No more calls start here: results still lingering for a batch are stored now.
  batch.writer.flushNow();
  // Settled promises leave the set as they go; wait until none is left.
  while (pending.size > 0) await Promise.all(pending);
  if (failure !== undefined) throw failure.error;
}

/**
 * The test cases of the items, read a window ahead of the pool (test-case-source.ts); the first
 * window is loaded before the run starts. The window is four slots' worth of items (at least
 * 256): loaded in the background well before the pool reaches it.
 */
async function testCaseSource(
  cards: CardStore,
  cardId: string,
  items: readonly PlannedItem[],
  concurrency: number,
): Promise<TestCaseSource> {
  const source = new TestCaseSource(
    cards,
    cardId,
    items.map((item) => item.testCaseId),
    Math.max(256, 4 * concurrency),
  );
  await source.loadFirst();
  return source;
}
