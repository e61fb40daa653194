/** One access-log line per request: method, route template, status, duration. Never the raw path's query or headers. */
import { context, trace } from '@opentelemetry/api';
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
    // 'finish' may fire outside the request's context; log inside it so the line has the trace
    // id. Only when there is a span to name: entering a context costs every request (on Node 20
    // it turns on AsyncLocalStorage's promise hooks for the whole process), and an untraced
    // request has no trace id to log.
    const requestContext = context.active();
    const traced = trace.getSpan(requestContext) !== undefined;
    res.once('finish', () => {
      if (!logger.isLevelEnabled(level)) return;
      const write = () =>
        logger[level](
          {
            http: { method: req.method, route: routeOf(req, res), status_code: res.statusCode },
            duration_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          },
          'request',
        );
      if (traced) context.with(requestContext, write);
      else write();
    });
    next();
  };
}
