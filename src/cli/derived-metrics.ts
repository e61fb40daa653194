/**
 * promptfoo's `derivedMetrics`: `{name, value}` where `value` is a mathematical expression over
 * the named scores of one prompt × model (the sums, as promptfoo evaluates it), computed after
 * the run with mathjs (the library promptfoo uses for them). Each derived metric joins the scope
 * of the ones after it, so `b` may use `a` when listed later. An expression that fails (an
 * unknown name, a result that is not a finite number) is reported with its error, not thrown.
 * mathjs is loaded only when a suite has derived metrics (it is large; the CLI starts without).
 *
 * promptfoo reference: https://www.promptfoo.dev/docs/configuration/expected-outputs/#creating-derived-metrics
 */
import type { NamedScore, ReportRow } from './eval-report.js';

export interface DerivedMetricDefinition {
  readonly name: string;
  /** A mathjs expression over metric names, e.g. `2 * precision * recall / (precision + recall)`. */
  readonly value: string;
}

export interface DerivedMetric {
  readonly prompt: string;
  readonly model: string;
  readonly name: string;
  /** The expression's value; null when it could not be computed. */
  readonly value: number | null;
  readonly error?: string;
}

/** One entry per definition for each prompt × model that has results, in definition order. */
export async function deriveMetrics(
  definitions: readonly DerivedMetricDefinition[],
  rows: readonly ReportRow[],
  named: readonly NamedScore[],
): Promise<DerivedMetric[]> {
  const out: DerivedMetric[] = [];
  if (definitions.length === 0) return out;
  const { evaluate } = await import('mathjs');
  const pairs = new Map<string, { prompt: string; model: string }>();
  for (const r of rows)
    pairs.set(JSON.stringify([r.prompt, r.model]), { prompt: r.prompt, model: r.model });
  for (const { prompt, model } of pairs.values()) {
    const scope = new Map<string, number>(
      named.filter((n) => n.prompt === prompt && n.model === model).map((n) => [n.metric, n.sum]),
    );
    for (const { name, value: expression } of definitions) {
      try {
        const value: unknown = evaluate(expression, new Map(scope));
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw new Error(`the expression gave ${String(value)}, not a finite number`);
        scope.set(name, value);
        out.push({ prompt, model, name, value });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        out.push({ prompt, model, name, value: null, error: message });
      }
    }
  }
  return out;
}
