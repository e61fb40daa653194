/**
 * `metricsMiddleware`: one observation per request in `http_request_duration_seconds` and
 * `http_requests_total`. The route label is the matched route template including the router's
 * mount path (`/api/prompt-cards/:id/test-cases`); a request that matched no route is
 * `unmatched`, whatever its path; methods outside the standard set are `other`. No raw path
 * or id can become a label value. A request answered before routing (a guard's 401, 403, 415
 * or 429) is labelled with the route it would have reached, through the app's route resolver
 * (`setRouteResolver`); a route serving several paths (`['/', '/index.html']`) is labelled with
 * the one requested.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Metrics } from './metrics.js';
import { observeWithExemplar } from './observe.js';

export const UNMATCHED_ROUTE = 'unmatched';
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Where `recordMountPath` leaves the mount path of the router that handled the request. */
const MOUNT_PATH = Symbol('pcs.mountPath');
/** Set by routes that are not Express routes (static files) to label themselves. */
export const ROUTE_LABEL = Symbol('pcs.routeLabel');

type Labelled = Response & { [MOUNT_PATH]?: string; [ROUTE_LABEL]?: string };

/**
 * Put first in a mounted router: Express restores `req.baseUrl` when the request leaves the
 * router, so the mount path must be captured while the request is inside it.
 */
export const recordMountPath: RequestHandler = (req, res, next) => {
  (res as Labelled)[MOUNT_PATH] = req.baseUrl;
  next();
};

/** The route template (mount path included) `method` on `path` reaches, or undefined. */
export type RouteResolver = (method: string, path: string) => string | undefined;

const resolvers = new WeakMap<object, RouteResolver>();

/** Labels the requests of `app` that a guard answered before routing (see routeLabel). */
export function setRouteResolver(app: object, resolver: RouteResolver): void {
  resolvers.set(app, resolver);
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export function routeLabel(req: Request, res: Response): string {
  const labelled = res as Labelled;
  if (labelled[ROUTE_LABEL] !== undefined) return labelled[ROUTE_LABEL];
  const route = req.route as { path?: unknown } | undefined;
  const mount = labelled[MOUNT_PATH] ?? '';
  if (typeof route?.path === 'string') return `${mount}${route.path}`;
  if (Array.isArray(route?.path)) {
    const paths = route.path.filter((p): p is string => typeof p === 'string');
    const requested = paths.find((p) => p === req.path) ?? paths[0];
    if (requested !== undefined) return `${mount}${requested}`;
  }
  const resolver = (req.app as object | undefined) && resolvers.get(req.app);
  return resolver?.(req.method, pathOf(req.originalUrl)) ?? UNMATCHED_ROUTE;
}

export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'other';
}

/** Hook for exemplars: returns the labels of the active trace, if any (see telemetry/tracing). */
export type ExemplarSource = () => Record<string, string> | undefined;

export function metricsMiddleware(
  metrics: Metrics,
  exemplar: ExemplarSource = () => undefined,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const exemplarLabels = exemplar();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      try {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const labels = {
          method: methodLabel(req.method),
          route: routeLabel(req, res),
          status_code: String(res.statusCode),
        };
        observeWithExemplar(metrics.httpRequestDuration, labels, seconds, exemplarLabels);
        metrics.httpRequestsTotal.inc(labels);
      } catch {
        metrics.telemetryErrors.inc({ component: 'http_metrics' });
      }
    };
    res.once('finish', record);
    // A client that disconnects early still counts, with the status the server had set.
    res.once('close', record);
    next();
  };
}
