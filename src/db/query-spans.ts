/**
 * A span per SQLite query, made from Kysely's query log (which reports each query with its
 * duration, failures included) in the context of the code that ran it. The statement is
 * recorded with its placeholders only: parameter values never reach a span.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { LogEvent } from 'kysely';

const tracer = trace.getTracer('prompt-card-system.db');

export function sqliteQuerySpan(event: LogEvent): void {
  const parent = trace.getSpan(context.active());
  // No active, recording parent: nothing to attach to (and no cost when tracing is off).
  if (parent === undefined || !parent.isRecording()) return;
  const sql = event.query.sql;
  const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY';
  const table = /\b(?:from|into|update|table)\s+"?(\w+)"?/i.exec(sql)?.[1];
  const end = Date.now();
  const span = tracer.startSpan(
    table === undefined ? operation : `${operation} ${table}`,
    {
      kind: SpanKind.CLIENT,
      startTime: end - event.queryDurationMillis,
      attributes: {
        'db.system.name': 'sqlite',
        'db.operation.name': operation,
        ...(table === undefined ? {} : { 'db.collection.name': table }),
        'db.query.text': sql,
      },
    },
    context.active(),
  );
  if (event.level === 'error') {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: event.error instanceof Error ? event.error.message : 'query failed',
    });
  }
  span.end(end);
}
