/** Pure summaries of a run's results: per-model pass rate, score, latency percentiles, tokens, cost. */
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
}

/** Linear-interpolation percentile (the "type 7" definition of R and NumPy); null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] ?? 0;
  const b = sorted[upper] ?? a;
  return a + (b - a) * (position - lower);
}

export function summarizeModel(model: string, rows: readonly SummaryRow[]): ModelSummary {
  const answered = rows.filter((r) => r.error_type === null);
  const latencies = answered.map((r) => r.latency_ms).sort((a, b) => a - b);
  const errorsByType: Record<string, number> = {};
  for (const r of rows)
    if (r.error_type !== null) errorsByType[r.error_type] = (errorsByType[r.error_type] ?? 0) + 1;
  const passed = rows.filter((r) => r.passed).length;
  const errored = rows.length - answered.length;
  const costs = rows.map((r) => r.cost_usd);
  const known = costs.filter((c): c is number => c !== null);
  return {
    model,
    simulated: rows.some((r) => r.simulated),
    results: rows.length,
    passed,
    failed: rows.length - passed - errored,
    errored,
    pass_rate: rows.length === 0 ? null : passed / rows.length,
    mean_score: rows.length === 0 ? null : rows.reduce((sum, r) => sum + r.score, 0) / rows.length,
    latency_ms: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    answered_latency_ms_total: latencies.reduce((sum, l) => sum + l, 0),
    tokens: {
      input: rows.reduce((sum, r) => sum + (r.input_tokens ?? 0), 0),
      output: rows.reduce((sum, r) => sum + (r.output_tokens ?? 0), 0),
    },
    cost_usd: known.length === 0 ? null : known.reduce((sum, c) => sum + c, 0),
    cost_complete: known.length === costs.length,
    errors_by_type: errorsByType,
  };
}

export function summarize(models: readonly string[], rows: readonly SummaryRow[]): ModelSummary[] {
  return models.map((model) =>
    summarizeModel(
      model,
      rows.filter((r) => r.model === model),
    ),
  );
}

export function progress(total: number, rows: readonly SummaryRow[]): RunProgress {
  const errored = rows.filter((r) => r.error_type !== null).length;
  const passed = rows.filter((r) => r.passed).length;
  return {
    total,
    completed: rows.length,
    passed,
    failed: rows.length - passed - errored,
    errored,
    remaining: Math.max(0, total - rows.length),
  };
}
