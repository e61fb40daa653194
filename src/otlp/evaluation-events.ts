/**
 * Online verdicts as OpenTelemetry log records: one `gen_ai.evaluation.result` event (GenAI
 * semantic conventions) per assertion result, emitted in the context of the evaluated span, so
 * the record carries its trace and span id and a trace UI or log store correlates the two.
 * Attributes: `gen_ai.evaluation.name` (the assertion type, e.g. `llm-rubric`),
 * `gen_ai.evaluation.score.value` (0..1) and `gen_ai.evaluation.score.label` (`pass` | `fail`),
 * both absent when the assertion could not be evaluated, `gen_ai.evaluation.explanation` (the
 * assertion's reason), `error.type` (when it could not be evaluated) and `prompt_card.id`.
 * Without a configured logs endpoint the global logger is a no-op (start-logs.ts).
 */
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { logs, SeverityNumber, type LogAttributes } from '@opentelemetry/api-logs';
import type { AssertionResult } from '../assertions/index.js';

export const EVALUATION_RESULT_EVENT = 'gen_ai.evaluation.result';

export interface EvaluatedSpan {
  readonly trace_id: string;
  readonly span_id: string;
  readonly prompt_card_id: string;
}

export function emitEvaluationResults(
  span: EvaluatedSpan,
  results: readonly AssertionResult[],
): void {
  if (results.length === 0) return;
  const logger = logs.getLogger('prompt-card-system');
  const context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: span.trace_id,
    spanId: span.span_id,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  for (const result of results) {
    const failed = result.error !== undefined;
    const attributes: LogAttributes = {
      'gen_ai.evaluation.name': result.type,
      'gen_ai.evaluation.explanation': failed ? (result.error ?? '') : result.reason,
      'prompt_card.id': span.prompt_card_id,
      ...(failed
        ? { 'error.type': result.error_type ?? '_OTHER' }
        : {
            'gen_ai.evaluation.score.value': result.score,
            'gen_ai.evaluation.score.label': result.pass ? 'pass' : 'fail',
          }),
    };
    logger.emit({
      eventName: EVALUATION_RESULT_EVENT,
      severityNumber: failed ? SeverityNumber.WARN : SeverityNumber.INFO,
      context,
      attributes,
    });
  }
}
