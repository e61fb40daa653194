/**
 * The GenAI metrics of every model call, recorded where the call happens (the model client's
 * `onCall`): gen_ai_client_operation_duration_seconds (with the trace as exemplar),
 * gen_ai_client_token_usage and gen_ai_client_cost_usd_total, for answers, grader calls and
 * embeddings alike. `gen_ai_operation_name` follows the OpenTelemetry GenAI conventions
 * (`chat`, `embeddings`); `operation` says why the call was made (`chat`, `grader`,
 * `online_grader` for the judge of production spans, `embedding`).
 */
import { METRIC, observeWithExemplar, type MetricsCollector } from '../telemetry/metrics/index.js';
import { traceExemplar } from '../telemetry/tracing/index.js';
import type { ModelCallListener } from './model-call-record.js';

export function modelCallMetrics(collector: MetricsCollector): ModelCallListener {
  const metrics = collector.metrics;
  return (call) =>
    collector.safely('gen_ai_metrics', () => {
      const base = {
        gen_ai_operation_name: call.operationName,
        operation: call.operation,
        gen_ai_provider_name: call.provider,
        gen_ai_request_model: call.model,
      };
      observeWithExemplar(
        metrics.genAiOperationDuration,
        metrics.admit(METRIC.genAiOperationDuration, { ...base, error_type: call.errorType }, [
          'gen_ai_request_model',
        ]),
        call.durationSeconds,
        traceExemplar(),
      );
      for (const [type, count] of [
        ['input', call.inputTokens],
        ['output', call.outputTokens],
      ] as const) {
        if (count === null) continue;
        const labels = metrics.admit(METRIC.genAiTokenUsage, { ...base, gen_ai_token_type: type }, [
          'gen_ai_request_model',
        ]);
        metrics.genAiTokenUsage.observe(labels, count);
      }
      if (call.costUsd !== null) {
        const labels = metrics.admit(
          METRIC.genAiCost,
          {
            operation: call.operation,
            gen_ai_provider_name: call.provider,
            gen_ai_request_model: call.model,
          },
          ['gen_ai_request_model'],
        );
        metrics.genAiCost.inc(labels, call.costUsd);
      }
    });
}
