/**
 * Names the HTTP server span after the route template (`GET /api/prompt-cards/:id`) and sets
 * `http.route`, once the response is finished and the route is known. The span is captured
 * when the request enters, because the 'finish' event may fire outside the request's context.
 */
import { trace } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';

export function routeSpanMiddleware(
  routeOf: (req: Request, res: Response) => string,
): RequestHandler {
  return (req, res, next) => {
    const span = trace.getActiveSpan();
    if (span !== undefined && span.isRecording()) {
      res.once('finish', () => {
        const route = routeOf(req, res);
        span.setAttribute('http.route', route);
        span.updateName(`${req.method} ${route}`);
      });
    }
    next();
  };
}
