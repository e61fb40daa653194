/** One access-log line per request: method, route template, status, duration. Never the raw path's query or headers. */
import { context } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from './logger.js';

const PROBE_PATHS = /^\/(api\/metrics|live|ready|health\/)/;

export function accessLog(
  logger: Logger,
  routeOf: (req: Request, res: Response) => string,
): RequestHandler {
  return (req, res, next) => {
    // Probes and scrapes would drown the log: they are logged at debug.
    const level = PROBE_PATHS.test(req.path) ? 'debug' : 'info';
    const started = process.hrtime.bigint();
    // 'finish' may fire outside the request's context; log inside it so the line has the trace id.
    const requestContext = context.active();
    res.once('finish', () => {
      context.with(requestContext, () =>
        logger[level](
          {
            http: { method: req.method, route: routeOf(req, res), status_code: res.statusCode },
            duration_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          },
          'request',
        ),
      );
    });
    next();
  };
}
