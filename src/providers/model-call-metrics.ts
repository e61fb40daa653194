/**
 * The GenAI metrics of every model call, recorded where the call happens (the model client's
 * `onCall`): gen_ai_client_operation_duration_seconds (with the trace as exemplar),
 * gen_ai_client_token_usage and gen_ai_client_cost_usd_total, for answers, grader calls and
 * embeddings alike. `gen_ai_operation_name` follows the OpenTelemetry GenAI conventions
 * (`chat`, `embeddings`); `operation` says why the call was made (`chat`, `grader`,
 * `online_grader` for the judge of production spans, `embedding`).
 *
 * The label sets a call records under are remembered once the cardinality guard has admitted
 * them (admitted sets stay admitted), so a run's thousands of calls with the same few label
 * sets do not rebuild, encode and key them on every call. A set the guard folds is never
 * remembered: it goes through the guard every time, which counts every overflow as before.
 */
import {
  METRIC,
  OVERFLOW,
  observeWithExemplar,
  type MetricsCollector,
} from '../telemetry/metrics/index.js';
import { traceExemplar } from '../telemetry/tracing/index.js';
import type { ModelCallListener } from './model-call-record.js';

type Labels = Record<string, string>;

export function modelCallMetrics(collector: MetricsCollector): ModelCallListener {
  const metrics = collector.metrics;
  /** Admitted label sets by metric and the call's label values (bounded by the guard's cap). */
  const admitted = new Map<string, Labels>();
  const admit = (metric: string, key: string, labels: () => Labels): Labels => {
    const cacheKey = `${metric}\u0000${key}`;
    const known = admitted.get(cacheKey);
    if (known !== undefined) return known;
    const result = metrics.admit(metric, labels(), ['gen_ai_request_model']);
    if (result.gen_ai_request_model !== OVERFLOW) admitted.set(cacheKey, result);
    return result;
  };
  return (call) =>
    collector.safely('gen_ai_metrics', () => {
      const key = `${call.operation}\u0000${call.operationName}\u0000${call.provider}\u0000${call.model}`;
      const base = () => ({
        gen_ai_operation_name: call.operationName,
        operation: call.operation,
        gen_ai_provider_name: call.provider,
        gen_ai_request_model: call.model,
      });
      observeWithExemplar(
        metrics.genAiOperationDuration,
        admit(METRIC.genAiOperationDuration, `${key}\u0000${call.errorType}`, () => ({
          ...base(),
          error_type: call.errorType,
        })),
        call.durationSeconds,
        traceExemplar(),
      );
      for (const [type, count] of [
        ['input', call.inputTokens],
        ['output', call.outputTokens],
      ] as const) {
        if (count === null) continue;
        const labels = admit(METRIC.genAiTokenUsage, `${key}\u0000${type}`, () => ({
          ...base(),
          gen_ai_token_type: type,
        }));
        metrics.genAiTokenUsage.observe(labels, count);
      }
      if (call.costUsd !== null) {
        const labels = admit(
          METRIC.genAiCost,
          `${call.operation}\u0000${call.provider}\u0000${call.model}`,
          () => ({
            operation: call.operation,
            gen_ai_provider_name: call.provider,
            gen_ai_request_model: call.model,
          }),
        );
        metrics.genAiCost.inc(labels, call.costUsd);
      }
    });
}
