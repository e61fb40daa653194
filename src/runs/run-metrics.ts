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

export function runMetricsObserver(collector: MetricsCollector): RunObserver {
  const metrics = collector.metrics;
  return {
    onResult(run: RunRow, outcome: ItemOutcome, cardTags: readonly string[]) {
      const row = outcome.row;
      const status = row.error_type !== null ? 'error' : row.passed === 1 ? 'success' : 'failure';
      collector.recordTestExecution(status, row.model);
      if (row.error_type === null) {
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
          { ...base, error_type: row.error_type ?? '' },
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
        collector.recordModelPerformance(
          summary.pass_rate ?? 0,
          summary.model,
          'pass_rate',
          run.prompt_card_id,
        );
        collector.recordModelPerformance(
          summary.mean_score ?? 0,
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
        if (summary.answered_latency_ms_total > 0) {
          collector.recordModelPerformance(
            summary.tokens.output / (summary.answered_latency_ms_total / 1000),
            summary.model,
            'output_tokens_per_second',
            run.prompt_card_id,
          );
        }
        if (summary.passed > 0) {
          collector.recordResourceEfficiency(
            (summary.tokens.input + summary.tokens.output) / summary.passed,
            'tokens',
            summary.model,
            'per_passed_test',
          );
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
