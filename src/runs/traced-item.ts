/**
 * A span per test case × model × repetition, child of the run's span, with each assertion
 * outcome as a `gen_ai.evaluation.result` event (OpenTelemetry GenAI conventions).
 * Resolves undefined when the item was cancelled mid-call (it is not recorded); other
 * failures propagate and fail the run.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { AssertionResult } from '../assertions/index.js';
import { errorMessage, tracer } from '../telemetry/tracing/index.js';
import type { ItemOutcome, RunItem } from './execute-item.js';

export function tracedItem(
  item: RunItem,
  signal: AbortSignal,
  run: () => Promise<ItemOutcome>,
): Promise<ItemOutcome | undefined> {
  const attributes = {
    'pcs.test_case.id': item.testCaseId,
    'pcs.test_case.name': item.testCase?.name ?? '(deleted)',
    'pcs.model': item.model,
    'pcs.repetition': item.repetition,
  };
  return tracer().startActiveSpan('test_case', { attributes }, async (span) => {
    try {
      const outcome = await run();
      const row = outcome.row;
      // Only a recording span needs the events: skip the parse when tracing is off.
      if (span.isRecording()) {
        for (const result of JSON.parse(row.assertion_results) as AssertionResult[]) {
          span.addEvent('gen_ai.evaluation.result', {
            'gen_ai.evaluation.name': result.type,
            'gen_ai.evaluation.score.value': result.score,
            'gen_ai.evaluation.score.label': result.pass ? 'pass' : 'fail',
            'gen_ai.evaluation.explanation': result.reason,
          });
        }
        span.setAttributes({ 'pcs.score': row.score, 'pcs.passed': row.passed === 1 });
      }
      if (row.error_type !== null) {
        span.setAttribute('error.type', row.error_type);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: row.error_message ?? row.error_type,
        });
      }
      return outcome;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      span.setAttribute('error.type', signal.aborted ? 'cancelled' : 'internal');
      // Cancelled mid-call: not an error of the run, the item simply stays missing.
      if (signal.aborted) return undefined;
      throw error;
    } finally {
      span.end();
    }
  });
}
