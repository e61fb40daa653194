/**
 * The Production view's logic, free of React: the trace link from the configured template,
 * which online verdicts failed and on what, and the pass ratio series beside the card's runs.
 */
import type { OnlineEvaluation, OnlineEvaluationSummary, Run } from '../api/generated';

/** The trace UI link: `{trace_id}` and `{span_id}` replaced; null without a template. */
export function traceUrl(template: string | null, traceId: string, spanId: string): string | null {
  if (template === null || template === '') return null;
  return template
    .replaceAll('{trace_id}', encodeURIComponent(traceId))
    .replaceAll('{span_id}', encodeURIComponent(spanId));
}

/** A verdict that counts against the card: judged and not passed, or an assertion in error. */
export function isFailing(evaluation: OnlineEvaluation): boolean {
  if (evaluation.status !== 'done') return false;
  if (evaluation.error !== null) return true;
  return evaluation.judged === true && evaluation.pass === false;
}

/** The assertions that did not pass, each as `type: reason`. */
export function failedAssertions(evaluation: OnlineEvaluation): string[] {
  return (evaluation.assertion_results ?? [])
    .filter((r) => !r.pass)
    .map((r) => (r.reason === '' ? r.type : `${r.type}: ${r.reason}`));
}

export interface RatioPoint {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** 0–1. */
  readonly ratio: number;
  readonly label: string;
}

/** Buckets with a judged verdict, at the bucket's middle. */
export function productionPoints(summary: OnlineEvaluationSummary): RatioPoint[] {
  const size = summary.bucket === 'hour' ? 3_600_000 : 86_400_000;
  return summary.items.flatMap((b) =>
    b.pass_ratio === null
      ? []
      : [
          {
            at: Date.parse(b.start) + size / 2,
            ratio: b.pass_ratio,
            label: `${new Date(b.start).toLocaleString()}: ${percent(b.pass_ratio)} of ${b.passed + b.failed} judged spans`,
          },
        ],
  );
}

/** The card's finished runs inside the window, with their pass rate (unjudged not counted). */
export function runPoints(runs: readonly Run[], since: number, until: number): RatioPoint[] {
  return runs.flatMap((run) => {
    const at = Date.parse(run.created_at);
    const judged = run.progress.completed - run.progress.not_judged;
    if (at < since || at >= until || judged <= 0) return [];
    const ratio = run.progress.passed / judged;
    return [{ at, ratio, label: `CI run ${new Date(at).toLocaleString()}: ${percent(ratio)}` }];
  });
}

/** passed / (passed + failed) over the whole window; null with no judged verdict. */
export function windowRatio(summary: OnlineEvaluationSummary): {
  ratio: number | null;
  judged: number;
} {
  let passed = 0;
  let failed = 0;
  for (const b of summary.items) {
    passed += b.passed;
    failed += b.failed;
  }
  return {
    ratio: passed + failed === 0 ? null : passed / (passed + failed),
    judged: passed + failed,
  };
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}
