/**
 * The HTTP server span, made by a middleware instead of the http instrumentation: measured in
 * bench/http-overhead, @opentelemetry/instrumentation-http costs about a quarter of the
 * throughput of a simple API route by itself, on top of the context manager; this span costs
 * a fraction of that. It follows the HTTP semantic conventions, continues an incoming W3C
 * `traceparent`, is named after the route template once the response is done, and is not
 * made for scrapes and probes.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';
import { tracer } from './tracing-service.js';

export const UNTRACED_PATHS = /^\/(api\/metrics|live|ready|health\/)/;

export function serverSpanMiddleware(
  routeOf: (req: Request, res: Response) => string,
): RequestHandler {
  return (req, res, next) => {
    if (UNTRACED_PATHS.test(req.path)) {
      next();
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    // The sampler (parent-based trace-id ratio) reads no attributes: they are computed only for
    // a span that records (`req.protocol` alone parses headers and the trust-proxy setting).
    const span = tracer().startSpan(req.method, { kind: SpanKind.SERVER }, parent);
    const recording = span.isRecording();
    // A read that is not sampled and continues no caller's trace: nothing below it will record
    // (query spans need a recording parent; reads start no background work), so it skips the
    // context switch and the end-of-response bookkeeping, which are most of tracing's per-request
    // cost on Node 20 (bench/http-overhead: trace-0).
    if (
      !recording &&
      (req.method === 'GET' || req.method === 'HEAD') &&
      trace.getSpanContext(parent) === undefined
    ) {
      next();
      return;
    }
    if (recording)
      span.setAttributes({
        'http.request.method': req.method,
        'url.path': req.path,
        'url.scheme': req.protocol,
        'network.protocol.version': req.httpVersion,
      });
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (!recording) {
        span.end();
        return;
      }
      const route = routeOf(req, res);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('error.type', 'aborted');
      span.updateName(`${req.method} ${route}`);
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}

let active = false;

/** Set by startTracing: whether spans are exported at all (the middleware is skipped otherwise). */
export function markTracingActive(value: boolean): void {
  active = value;
}

export function isTracingActive(): boolean {
  return active;
}
