/**
 * The verdicts of an evaluation and whether its thresholds hold. Pure: built from the stored
 * results and the suite plan.
 * - A result's verdict is the one the run engine stored (`passed`): promptfoo's rules for
 *   weights, `assert-set`s and test thresholds, computed by assertions/grade-test.ts.
 * - Assertions of kinds we do not have (run with --skip-unsupported) are listed as
 *   `not_evaluated`, never as passed; a test whose every assertion was skipped has the verdict
 *   `not_evaluated` and is left out of the pass rate.
 * - Pass rate per model = passed / (results − not evaluated); errors count as not passed.
 * - Named metrics follow promptfoo (the same grade-test.ts); the named scores of a prompt ×
 *   model are totalled over its results (`sum`, `count`, `mean`).
 */
import {
  gradeTest,
  isComparative,
  withoutComparative,
  type AssertionResult,
} from '../assertions/index.js';
import type { RunResult } from '../runs/index.js';
import type { PlannedCard, PlannedTest, SkippedAssertion } from '../suites/index.js';
import type { DerivedMetric } from './derived-metrics.js';

export type Verdict = 'pass' | 'fail' | 'error' | 'not_evaluated';

export interface ReportRow {
  readonly prompt: string;
  readonly test_key: string;
  readonly test: string;
  readonly model: string;
  readonly repetition: number;
  readonly verdict: Verdict;
  readonly score: number;
  readonly latency_ms: number;
  readonly cost_usd: number | null;
  readonly output: string | null;
  readonly error: string | null;
  readonly assertions: readonly AssertionResult[];
  readonly not_evaluated: readonly SkippedAssertion[];
  readonly run_id: string;
}

export interface ModelReport {
  readonly model: string;
  readonly results: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly not_evaluated: number;
  readonly pass_rate: number | null;
  /** Whether the pass rate reaches the threshold. */
  readonly ok: boolean;
}

/** promptfoo's named score of one prompt × model: the sum of its assertions' scores. */
export interface NamedScore {
  readonly prompt: string;
  readonly model: string;
  readonly metric: string;
  /** Sum of the scores (each 0–1) of the assertions carrying the metric, over the results. */
  readonly sum: number;
  /** How many results carried the metric. */
  readonly count: number;
  /** sum / count. */
  readonly mean: number;
}

export interface EvalReport {
  readonly description: string;
  readonly threshold: number;
  readonly models: readonly ModelReport[];
  readonly named_scores: readonly NamedScore[];
  /** promptfoo's derived metrics, per prompt × model (`deriveMetrics` fills them in). */
  readonly derived_metrics: readonly DerivedMetric[];
  readonly rows: readonly ReportRow[];
  readonly ok: boolean;
}

export interface RunOfCard {
  readonly card: PlannedCard;
  readonly runId: string;
  /** Test-case id → planned test. */
  readonly tests: ReadonlyMap<string, PlannedTest>;
  readonly results: readonly RunResult[];
}

export function verdictOf(result: RunResult, test: PlannedTest): Verdict {
  if (result.error !== null) return 'error';
  if (test.assertions.length === 0 && test.skipped.length > 0) return 'not_evaluated';
  return result.passed ? 'pass' : 'fail';
}

export function buildReport(
  description: string,
  models: readonly string[],
  runs: readonly RunOfCard[],
  threshold: number,
): EvalReport {
  const rows: ReportRow[] = [];
  const named = new Map<
    string,
    { prompt: string; model: string; metric: string; sum: number; count: number }
  >();
  for (const run of runs) {
    const position = new Map([...run.tests.keys()].map((id, i) => [id, i]));
    const at = (id: string) => position.get(id) ?? 0;
    const sorted = [...run.results].sort(
      (a, b) =>
        at(a.test_case_id) - at(b.test_case_id) ||
        models.indexOf(a.model) - models.indexOf(b.model) ||
        a.repetition - b.repetition,
    );
    for (const result of sorted) {
      const test = run.tests.get(result.test_case_id);
      if (test === undefined) continue;
      // A comparative verdict (select-best, max-score) was merged into the stored score and
      // pass by the engine; the other assertions are graded as the test wrote them.
      const own = result.assertions.filter((a) => !isComparative(a.type));
      const scored = gradeTest(withoutComparative(test.assertions), own);
      if (result.error === null)
        for (const [metric, score] of scored.named) {
          const id = JSON.stringify([run.card.title, result.model, metric]);
          const total = named.get(id) ?? {
            prompt: run.card.title,
            model: result.model,
            metric,
            sum: 0,
            count: 0,
          };
          named.set(id, { ...total, sum: total.sum + score, count: total.count + 1 });
        }
      rows.push({
        prompt: run.card.title,
        test_key: test.key,
        test: test.name,
        model: result.model,
        repetition: result.repetition,
        verdict: verdictOf(result, test),
        score:
          result.error === null && own.length === result.assertions.length
            ? scored.score
            : result.score,
        latency_ms: result.latency_ms,
        cost_usd: result.cost_usd,
        output: result.output,
        error: result.error === null ? null : `${result.error.type}: ${result.error.message}`,
        assertions: result.assertions,
        not_evaluated: test.skipped,
        run_id: run.runId,
      });
    }
  }
  const reports = models.map((model) => {
    const mine = rows.filter((r) => r.model === model);
    const count = (v: Verdict) => mine.filter((r) => r.verdict === v).length;
    const evaluated = mine.length - count('not_evaluated');
    const passRate = evaluated === 0 ? null : count('pass') / evaluated;
    return {
      model,
      results: mine.length,
      passed: count('pass'),
      failed: count('fail'),
      errored: count('error'),
      not_evaluated: count('not_evaluated'),
      pass_rate: passRate,
      ok: passRate === null || passRate >= threshold,
    };
  });
  const namedScores = [...named.values()].map((n) => ({ ...n, mean: n.sum / n.count }));
  return {
    description,
    threshold,
    models: reports,
    named_scores: namedScores,
    derived_metrics: [],
    rows,
    ok: reports.every((m) => m.ok),
  };
}
