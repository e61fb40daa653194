/**
 * Records what the run engine does into the business and GenAI metrics: every result
 * (test_executions_total, prompt_effectiveness_score, gen_ai_* duration/tokens/cost) and
 * every finished run (model_performance_comparison per model, resource_efficiency_ratio,
 * runs_finished_total, run_duration_seconds).
 */
import { METRIC, observeWithExemplar, type MetricsCollector } from '../telemetry/metrics/index.js';
import { parseModelId } from '../providers/index.js';
import { traceExemplar } from '../telemetry/tracing/index.js';
import type { ItemOutcome } from './execute-item.js';
import type { RunObserver } from './execute-items.js';
import type { Run } from './run-schema.js';
import type { RunRow } from './run-store.js';
import { isNotJudged } from './run-summary.js';

export function runMetricsObserver(collector: MetricsCollector): RunObserver {
  const metrics = collector.metrics;
  return {
    onResult(run: RunRow, outcome: ItemOutcome, cardTags: readonly string[]) {
      const row = outcome.row;
      const status =
        row.error_type !== null
          ? 'error'
          : isNotJudged(row)
            ? 'not_judged'
            : row.passed === 1
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
      collector.safely('gen_ai_metrics', () => {
        const id = parseModelId(row.model);
        const base = {
          gen_ai_operation_name: 'chat',
          gen_ai_provider_name: id?.provider ?? 'unknown',
          gen_ai_request_model: id?.model ?? row.model,
        };
        const durationLabels = metrics.admit(
          METRIC.genAiOperationDuration,
          // The chat call's own outcome: a result can be an error after the model answered
          // (an assertion could not be evaluated), and then the call itself succeeded.
          { ...base, error_type: outcome.call === undefined ? (row.error_type ?? '') : '' },
          ['gen_ai_request_model'],
        );
        observeWithExemplar(
          metrics.genAiOperationDuration,
          durationLabels,
          row.latency_ms / 1000,
          traceExemplar(),
        );
        for (const [type, count] of [
          ['input', row.input_tokens],
          ['output', row.output_tokens],
        ] as const) {
          if (count === null) continue;
          const labels = metrics.admit(
            METRIC.genAiTokenUsage,
            { ...base, gen_ai_token_type: type },
            ['gen_ai_request_model'],
          );
          metrics.genAiTokenUsage.observe(labels, count);
        }
        if (row.cost_usd !== null) {
          const labels = metrics.admit(
            METRIC.genAiCost,
            {
              gen_ai_provider_name: base.gen_ai_provider_name,
              gen_ai_request_model: base.gen_ai_request_model,
            },
            ['gen_ai_request_model'],
          );
          metrics.genAiCost.inc(labels, row.cost_usd);
        }
      });
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
