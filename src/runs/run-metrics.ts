/**
 * Records what the run engine does into the business and GenAI metrics: every result
 * (test_executions_total, prompt_effectiveness_score) and
 * every finished run (model_performance_comparison per model, resource_efficiency_ratio,
 * runs_finished_total, run_duration_seconds).
 */
import type { MetricsCollector } from '../telemetry/metrics/index.js';
import type { ItemOutcome } from './execute-item.js';
import type { RunObserver } from './execute-items.js';
import type { Run } from './run-schema.js';
import type { RunRow } from './run-store.js';

export function runMetricsObserver(collector: MetricsCollector): RunObserver {
  const metrics = collector.metrics;
  return {
    onResult(run: RunRow, outcome: ItemOutcome, cardTags: readonly string[]) {
      const row = outcome.result;
      const status =
        row.error !== null
          ? 'error'
          : !row.judged
            ? 'not_judged'
            : row.passed
              ? 'success'
              : 'failure';
      collector.recordTestExecution(status, row.model);
      // An answer nothing judged has no score to report.
      if (status === 'success' || status === 'failure') {
        collector.recordPromptEffectiveness(
          row.score,
          row.model,
          cardTags[0] ?? 'default',
          run.user_category,
        );
      }
      // The GenAI metrics (duration, tokens, cost) are recorded by the model client itself,
      // per call: answers, grader calls and embeddings (providers/model-call-metrics.ts).
    },

    onRunFinished(run: Run) {
      collector.safely('run_metrics', () => {
        metrics.runsFinished.inc({ status: run.status });
        if (run.started_at !== null && run.finished_at !== null) {
          const seconds = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
          metrics.runDuration.observe({ status: run.status }, Math.max(0, seconds));
        }
      });
      for (const summary of run.summary) {
        if (summary.results === 0) continue;
        // Null when only unjudged results exist: unknown, so nothing is exported.
        if (summary.pass_rate !== null)
          collector.recordModelPerformance(
            summary.pass_rate,
            summary.model,
            'pass_rate',
            run.prompt_card_id,
          );
        if (summary.mean_score !== null)
          collector.recordModelPerformance(
            summary.mean_score,
            summary.model,
            'mean_score',
            run.prompt_card_id,
          );
        if (summary.latency_ms.p95 !== null) {
          collector.recordModelPerformance(
            summary.latency_ms.p95 / 1000,
            summary.model,
            'latency_p95_seconds',
            run.prompt_card_id,
          );
        }
        // Token figures only when every answer reported its counts: an unknown count is not 0,
        // and a partial sum over all the latency would understate the rate.
        const tokens = summary.tokens_complete ? summary.tokens : undefined;
        if (
          tokens?.output !== null &&
          tokens?.output !== undefined &&
          summary.answered_latency_ms_total > 0
        ) {
          collector.recordModelPerformance(
            tokens.output / (summary.answered_latency_ms_total / 1000),
            summary.model,
            'output_tokens_per_second',
            run.prompt_card_id,
          );
        }
        if (summary.passed > 0) {
          if (tokens?.input !== null && tokens?.input !== undefined && tokens.output !== null) {
            collector.recordResourceEfficiency(
              (tokens.input + tokens.output) / summary.passed,
              'tokens',
              summary.model,
              'per_passed_test',
            );
          }
          if (summary.cost_usd !== null && summary.cost_complete) {
            collector.recordResourceEfficiency(
              summary.cost_usd / summary.passed,
              'usd',
              summary.model,
              'per_passed_test',
            );
          }
        }
      }
    },
  };
}
