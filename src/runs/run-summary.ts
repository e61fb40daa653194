/**
 * Summaries of a run's results: per-model pass rate, score, latency percentiles, tokens, cost.
 * A summary is made from a `ModelTally` (counts, sums and a latency sketch), which adds up: the
 * store keeps one per run and model, adding each batch's tally as its results are written
 * (run-totals.ts), and `tallyRows` computes one from rows in memory (the full recomputation
 * that `repairRunTotals` writes back); a test holds the kept and the recomputed equal.
 */
import { sketchOf, sketchPercentile, type LatencySketch } from './latency-sketch.js';
import type { ModelSummary, RunProgress } from './run-schema.js';

export interface SummaryRow {
  readonly model: string;
  readonly passed: boolean;
  readonly score: number;
  readonly latency_ms: number;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly cost_usd: number | null;
  readonly error_type: string | null;
  readonly simulated: boolean;
  /** 0 when no assertion and no expected output judged the answer. */
  readonly judged: number;
}

/** An answered result that no assertion and no expected output judged. */
export function isNotJudged(row: {
  readonly error_type: string | null;
  readonly judged: number;
}): boolean {
  return row.error_type === null && Number(row.judged) === 0;
}

/** What a model's summary is made of. */
export interface ModelTally {
  readonly model: string;
  readonly results: number;
  readonly passed: number;
  readonly errored: number;
  /** Answered results with nothing to check them: outside pass rate and mean score. */
  readonly notJudged: number;
  readonly scoreSum: number;
  readonly simulated: boolean;
  /** Over results that got an answer (errors excluded). */
  readonly answeredLatencyTotal: number;
  /** Answered latencies (errors excluded), for the percentiles: see latency-sketch.ts. */
  readonly latency: LatencySketch;
  /** Sums of the known token counts, and how many results had one. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly inputTokensKnown: number;
  readonly outputTokensKnown: number;
  /** Answered results that lack a token count (the provider did not report it). */
  readonly tokensMissing: number;
  /** Sum of the known costs, and how many results had one. */
  readonly costSum: number;
  readonly costsKnown: number;
  readonly errorsByType: Readonly<Record<string, number>>;
}

/**
 * Where the p-th percentile of `count` sorted values lies for linear interpolation (the
 * "type 7" definition of R and NumPy): between the values at `lower` and `upper` (0-based).
 */
export function percentilePosition(
  count: number,
  p: number,
): { lower: number; upper: number; fraction: number } {
  const position = (count - 1) * p;
  const lower = Math.floor(position);
  return { lower, upper: Math.ceil(position), fraction: position - lower };
}

/** Linear-interpolation percentile of sorted values; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const { lower, upper, fraction } = percentilePosition(sorted.length, p);
  const a = sorted[lower] ?? 0;
  const b = sorted[upper] ?? a;
  return a + (b - a) * fraction;
}

export function emptyTally(model: string): ModelTally {
  return {
    model,
    results: 0,
    passed: 0,
    errored: 0,
    notJudged: 0,
    scoreSum: 0,
    simulated: false,
    answeredLatencyTotal: 0,
    latency: new Map(),
    inputTokens: 0,
    outputTokens: 0,
    inputTokensKnown: 0,
    outputTokensKnown: 0,
    tokensMissing: 0,
    costSum: 0,
    costsKnown: 0,
    errorsByType: {},
  };
}

/** The tally of one model's rows, computed in memory. */
export function tallyRows(model: string, rows: readonly SummaryRow[]): ModelTally {
  const answered = rows.filter((r) => r.error_type === null);
  const latencies = answered.map((r) => r.latency_ms);
  const errorsByType: Record<string, number> = {};
  for (const r of rows)
    if (r.error_type !== null) errorsByType[r.error_type] = (errorsByType[r.error_type] ?? 0) + 1;
  const known = rows.map((r) => r.cost_usd).filter((c): c is number => c !== null);
  return {
    model,
    results: rows.length,
    passed: rows.filter((r) => r.passed).length,
    errored: rows.length - answered.length,
    notJudged: rows.filter(isNotJudged).length,
    scoreSum: rows.reduce((sum, r) => sum + r.score, 0),
    simulated: rows.some((r) => r.simulated),
    answeredLatencyTotal: latencies.reduce((sum, l) => sum + l, 0),
    latency: sketchOf(latencies),
    inputTokens: rows.reduce((sum, r) => sum + (r.input_tokens ?? 0), 0),
    outputTokens: rows.reduce((sum, r) => sum + (r.output_tokens ?? 0), 0),
    inputTokensKnown: rows.filter((r) => r.input_tokens !== null).length,
    outputTokensKnown: rows.filter((r) => r.output_tokens !== null).length,
    tokensMissing: answered.filter((r) => r.input_tokens === null || r.output_tokens === null)
      .length,
    costSum: known.reduce((sum, c) => sum + c, 0),
    costsKnown: known.length,
    errorsByType,
  };
}

export function summaryFromTally(t: ModelTally): ModelSummary {
  // Pass rate and mean score are over judged results and errors; not-judged ones are left out.
  const judgedOrErrored = t.results - t.notJudged;
  return {
    model: t.model,
    simulated: t.simulated,
    results: t.results,
    passed: t.passed,
    failed: t.results - t.passed - t.errored - t.notJudged,
    errored: t.errored,
    not_judged: t.notJudged,
    pass_rate: judgedOrErrored === 0 ? null : t.passed / judgedOrErrored,
    mean_score: judgedOrErrored === 0 ? null : t.scoreSum / judgedOrErrored,
    latency_ms: { p50: sketchPercentile(t.latency, 0.5), p95: sketchPercentile(t.latency, 0.95) },
    answered_latency_ms_total: t.answeredLatencyTotal,
    tokens: {
      input: t.inputTokensKnown === 0 ? null : t.inputTokens,
      output: t.outputTokensKnown === 0 ? null : t.outputTokens,
    },
    tokens_complete: t.tokensMissing === 0,
    cost_usd: t.costsKnown === 0 ? null : t.costSum,
    cost_complete: t.costsKnown === t.results,
    errors_by_type: t.errorsByType,
  };
}

export function summarize(models: readonly string[], rows: readonly SummaryRow[]): ModelSummary[] {
  return models.map((model) =>
    summaryFromTally(
      tallyRows(
        model,
        rows.filter((r) => r.model === model),
      ),
    ),
  );
}

export function progress(total: number, tallies: Iterable<ModelTally>): RunProgress {
  let completed = 0;
  let passed = 0;
  let errored = 0;
  let notJudged = 0;
  for (const t of tallies) {
    completed += t.results;
    passed += t.passed;
    errored += t.errored;
    notJudged += t.notJudged;
  }
  return {
    total,
    completed,
    passed,
    failed: completed - passed - errored - notJudged,
    errored,
    not_judged: notJudged,
    remaining: Math.max(0, total - completed),
  };
}
