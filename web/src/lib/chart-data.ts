/** Rows for the card's charts, oldest run first, from the runs' per-model summaries. */
import type { Run } from '../api/types';

export interface ModelPoint {
  run: string;
  [model: string]: number | string | null;
}

/** One row per run with `<model>` = pass rate (0–100 %) or mean score (0–1); null where absent. */
export function perModelSeries(
  runs: readonly Run[],
  metric: 'pass_rate' | 'mean_score',
): { rows: ModelPoint[]; models: string[] } {
  const ordered = [...runs]
    .filter((r) => r.summary.length > 0)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  const models = [...new Set(ordered.flatMap((r) => r.summary.map((s) => s.model)))];
  const rows = ordered.map((run, index) => {
    const row: ModelPoint = { run: `#${index + 1}` };
    for (const model of models) {
      const value = run.summary.find((s) => s.model === model)?.[metric] ?? null;
      row[model] =
        value === null ? null : metric === 'pass_rate' ? Math.round(value * 1000) / 10 : value;
    }
    return row;
  });
  return { rows, models };
}

/** Tokens (input + output) and known cost (USD) per run. */
export function usagePerRun(
  runs: readonly Run[],
): { run: string; tokens: number; cost_usd: number | null }[] {
  return [...runs]
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((run, index) => {
      const costs = run.summary.map((s) => s.cost_usd);
      return {
        run: `#${index + 1}`,
        tokens: run.summary.reduce(
          (sum, s) => sum + (s.tokens.input ?? 0) + (s.tokens.output ?? 0),
          0,
        ),
        cost_usd: costs.some((c) => c !== null)
          ? costs.reduce<number>((sum, c) => sum + (c ?? 0), 0)
          : null,
      };
    });
}

/** Latency histogram of answered results per model; `buckets` are upper bounds in ms, ascending. */
export function latencyHistogram(
  results: readonly { model: string; latency_ms: number; error: unknown }[],
  buckets: readonly number[] = [50, 100, 200, 400, 800, 1600, 3200, 6400],
): { rows: Record<string, number | string>[]; models: string[] } {
  const models = [...new Set(results.map((r) => r.model))];
  const counts = models.map(() => new Array<number>(buckets.length + 1).fill(0));
  for (const result of results) {
    if (result.error !== null) continue;
    const index = buckets.findIndex((le) => result.latency_ms <= le);
    counts[models.indexOf(result.model)][index === -1 ? buckets.length : index] += 1;
  }
  const labels = [...buckets.map((le) => `≤ ${le}`), `> ${buckets.at(-1) ?? 0}`];
  const rows = labels.map((le, b) => ({
    le,
    ...Object.fromEntries(models.map((m, i) => [m, counts[i][b]])),
  }));
  return { rows, models };
}
