/**
 * The post-outputs phase of a run: promptfoo's comparative assertions (`select-best`,
 * `max-score`; assertions/comparative.ts), graded once every item of the run is recorded. The
 * executor core calls it after its items, before the run is settled, in every topology (one
 * process, API + workers, the CLI's embedded engine); whichever execution finds the run's
 * items all recorded grades it, so rows executed by different workers are graded together.
 *
 * A row is one test case and repetition across the run's models, outputs in the run's model
 * order. Each comparative verdict is merged into a result as promptfoo merges it: the result
 * passes only if it passed and the comparison passed; a failed comparison sets its score (0);
 * the verdict is appended to the result's assertions. Results with an error take no part (they
 * have no output). Idempotent: a row whose results already hold a comparative verdict is not
 * graded again (after a resume, or when two workers finish at once), and the store writes a
 * result's verdict only once (`RunStore.recordComparisons`), recomputing the kept totals.
 */
import {
  comparativeSpecs,
  isComparative,
  maxScoreVerdicts,
  selectBestMessages,
  selectBestVerdicts,
  tooFewOutputs,
  MAX_SCORE,
  SELECT_BEST,
  type AssertionOutcome,
  type AssertionResult,
  type AssertionSpec,
  type MaxScoreValue,
} from '../assertions/index.js';
import type { CardStore, TestCase } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { RunResult } from './run-schema.js';
import type { RunRow, RunStore } from './run-store.js';

export interface ComparisonDeps {
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
}

const graded = (assertions: readonly AssertionResult[]): boolean =>
  assertions.some((a) => isComparative(a.type));

/**
 * Grades the comparative assertions of `row`'s run when all its items are recorded; answers
 * how many results got a verdict (0 when there is nothing to grade yet or any more). A grader
 * that cannot be reached throws (the run fails or is retried as for any item's failure).
 */
export async function gradeComparisons(
  deps: ComparisonDeps,
  row: RunRow,
  signal: AbortSignal,
): Promise<number> {
  // One indexed read (the kept count; the run's row is the one the execution claimed) for an
  // execution that does not complete the run; the test cases are read (one query, the card's)
  // only by the one that does.
  if ((await deps.runs.countResults(row)) < row.total_items) return 0;
  const ids = new Set(JSON.parse(row.test_case_ids) as string[]);
  const compared = new Map<string, TestCase>();
  for (const c of await deps.cards.allTestCases(row.prompt_card_id))
    if (ids.has(c.id) && comparativeSpecs(c.assertions).length > 0) compared.set(c.id, c);
  if (compared.size === 0) return 0;
  const models = JSON.parse(row.models) as string[];
  const rows = new Map<string, RunResult[]>();
  for (const result of await deps.runs.allResults(row.id)) {
    if (!compared.has(result.test_case_id)) continue;
    const key = `${result.test_case_id}\u0000${String(result.repetition)}`;
    rows.set(key, [...(rows.get(key) ?? []), result]);
  }
  const updates: RunResult[] = [];
  for (const results of rows.values()) {
    if (results.some((r) => graded(r.assertions))) continue;
    const testCase = compared.get(results[0]?.test_case_id ?? '');
    if (testCase === undefined) continue;
    const outputs = results
      .filter((r) => r.error === null)
      .sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model));
    updates.push(...(await gradeRow(deps, testCase, outputs, signal)));
  }
  return deps.runs.recordComparisons(row.id, updates, graded);
}

/** The row's results with every comparative verdict of its test case merged in. */
async function gradeRow(
  deps: ComparisonDeps,
  testCase: TestCase,
  outputs: readonly RunResult[],
  signal: AbortSignal,
): Promise<RunResult[]> {
  let merged = [...outputs];
  for (const spec of comparativeSpecs(testCase.assertions)) {
    const verdicts = await verdictsOf(deps, spec, testCase, merged, signal);
    merged = merged.map((result, i) =>
      merge(result, spec, verdicts[i] ?? tooFewOutputs(spec.type)),
    );
  }
  return merged;
}

async function verdictsOf(
  deps: ComparisonDeps,
  spec: AssertionSpec,
  testCase: TestCase,
  results: readonly RunResult[],
  signal: AbortSignal,
): Promise<AssertionOutcome[]> {
  if (results.length < 2) return results.map(() => tooFewOutputs(spec.type));
  if (spec.type === MAX_SCORE)
    return maxScoreVerdicts(
      spec.value as MaxScoreValue,
      results.map((r) => r.assertions.filter((a) => !isComparative(a.type))),
    );
  if (spec.type !== SELECT_BEST) return results.map(() => tooFewOutputs(spec.type));
  const criteria = typeof spec.value === 'string' ? spec.value : '';
  const messages = selectBestMessages(
    criteria,
    results.map((r) => r.output ?? ''),
    testCase.input_variables,
    spec.rubricPrompt,
  );
  const answer = await deps.models.askGrader(messages, signal);
  return selectBestVerdicts(criteria, results.length, answer.text);
}

/** promptfoo's merge of a comparison into one result (see the module comment). */
function merge(result: RunResult, spec: AssertionSpec, verdict: AssertionOutcome): RunResult {
  const entry: AssertionResult = {
    type: spec.type,
    pass: verdict.pass,
    score: verdict.score,
    weight: spec.weight ?? 1,
    reason: verdict.reason,
  };
  return {
    ...result,
    assertions: [...result.assertions, entry],
    passed: result.passed && verdict.pass,
    score: verdict.pass ? result.score : verdict.score,
  };
}
