/**
 * A span per test case × model × repetition, child of the run's span, with each assertion
 * outcome as a `gen_ai.evaluation.result` event (OpenTelemetry GenAI conventions). The span
 * opens before the model call and closes once the item is scored, which may happen after its
 * concurrency slot has moved on (see run-engine).
 */
import { context, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { errorMessage, tracer } from '../telemetry/tracing/index.js'; // not the index: it loads the SDK, which `prompt-cards` never needs
import type { ItemOutcome, RunItem } from './execute-item.js';

export class ItemSpan {
  private readonly span: Span;
  private readonly active: Context;

  constructor(item: RunItem) {
    this.span = tracer().startSpan('test_case', {
      attributes: {
        'pcs.test_case.id': item.testCaseId,
        'pcs.test_case.name': item.testCase?.name ?? '(deleted)',
        'pcs.model': item.model,
        'pcs.repetition': item.repetition,
      },
    });
    this.active = trace.setSpan(context.active(), this.span);
  }

  /** Runs `work` with this span active, so model calls become its children. */
  within<T>(work: () => Promise<T>): Promise<T> {
    return context.with(this.active, work);
  }

  /** Records the outcome (assertion events, score, error) and ends the span. */
  finish(outcome: ItemOutcome): void {
    const span = this.span;
    const row = outcome.result;
    if (span.isRecording()) {
      for (const result of row.assertions) {
        span.addEvent('gen_ai.evaluation.result', {
          'gen_ai.evaluation.name': result.type,
          'gen_ai.evaluation.score.value': result.score,
          'gen_ai.evaluation.score.label': result.pass ? 'pass' : 'fail',
          'gen_ai.evaluation.explanation': result.reason,
        });
      }
      span.setAttributes({ 'pcs.score': row.score, 'pcs.passed': row.passed });
    }
    if (row.error !== null) {
      span.setAttribute('error.type', row.error.type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: row.error.message });
    }
    span.end();
  }

  /**
   * Ends the span for an item that threw. Returns true when the run was cancelled or shut
   * down (the item simply stays missing); false for a real failure, which fails the run.
   */
  fail(error: unknown, signal: AbortSignal): boolean {
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    this.span.setAttribute('error.type', signal.aborted ? 'cancelled' : 'internal');
    this.span.end();
    return signal.aborted;
  }
}
