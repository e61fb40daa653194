/**
 * `TracingService`: the guide's API, done the way the OpenTelemetry API works.
 * - `traceFunction` makes its span active for `fn`, so spans started inside become children;
 *   sets OK or ERROR (recording the exception) and always ends the span.
 * - `createChildSpan` builds a real child: the parent goes in through a context
 *   (`trace.setSpan`), since the `{ parent }` option of the guide's version is ignored.
 * With no SDK started, the API hands out no-op spans: tracing off costs next to nothing.
 */
import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';

export const TRACER_NAME = 'prompt-card-system';

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TracingService {
  static async traceFunction<T>(
    spanName: string,
    fn: (span: Span) => Promise<T>,
    attributes?: Attributes,
    options: SpanOptions = {},
  ): Promise<T> {
    return tracer().startActiveSpan(
      spanName,
      { ...options, ...(attributes === undefined ? {} : { attributes }) },
      async (span) => {
        try {
          const result = await fn(span);
          span.setStatus({ code: SpanStatusCode.OK });
          return result;
        } catch (error) {
          span.recordException(error instanceof Error ? error : new Error(errorMessage(error)));
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  static createChildSpan(parentSpan: Span, spanName: string, attributes?: Attributes): Span {
    const parentContext = trace.setSpan(context.active(), parentSpan);
    return tracer().startSpan(
      spanName,
      attributes === undefined ? {} : { attributes },
      parentContext,
    );
  }
}

/** The active span's trace id as an exemplar label set, when that span is sampled. */
export function traceExemplar(): Record<string, string> | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || (spanContext.traceFlags & 1) === 0) return undefined;
  return { trace_id: spanContext.traceId };
}
