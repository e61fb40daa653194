/**
 * buildApp(deps): wires middleware and routes. No business logic lives here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { recordMountPath, setRouteResolver } from './telemetry/metrics/index.js';
import { cardRoutes, importRoutes, type CardService } from './cards/index.js';
import { AppError } from './errors.js';
import {
  checkRequestPath,
  checkUntrustedInput,
  errorHandler,
  requireJsonBody,
  requireObjectBody,
  requireUtf8,
  routeNotFound,
  routeMatcher,
  routeTable,
  type RecordChange,
  type RouteEntry,
} from './http/index.js';
import type { Logger } from './telemetry/logging/index.js';

export interface AppDeps {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  /** Largest body of a bulk import (its router reads its own body). */
  readonly importBodyLimitBytes?: number;
  readonly cards: CardService;
  /** GET /api/metrics, when monitoring is on. */
  readonly metricsHandler?: RequestHandler;
  /** More routers mounted under /api (runs, models, …). */
  readonly apiRouters?: readonly Router[];
  /** Routers under /api that read their own bodies, before the JSON body parser (OTLP). */
  readonly rawApiRouters?: readonly Router[];
  /** Routers mounted at the root (health probes). */
  readonly rootRouters?: readonly Router[];
  /** Middleware that runs before everything else (metrics, access log). */
  readonly earlyMiddleware?: readonly RequestHandler[];
  /** Middleware before every route (Host check, security headers). */
  readonly guards?: readonly RequestHandler[];
  /** Middleware at the top of /api, before any route (authentication, Origin, rate limit). */
  readonly apiGuards?: readonly RequestHandler[];
  /** The audit trail's recorder, handed to the routes that change state. */
  readonly recordChange?: RecordChange;
  /** True while the server closes for shutdown: new requests get 503. */
  readonly isShuttingDown?: () => boolean;
  /** True in the drain period before that: requests are served with `Connection: close`. */
  readonly isDraining?: () => boolean;
}

/** The web UI built from `web/` by Vite into `dist/web`, found from `src/` or `dist/src/`. */
function webDir(): string | undefined {
  return [join(__dirname, '..', 'dist', 'web'), join(__dirname, '..', 'web')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}

/** The alert runbooks (docs/runbooks), found from `src/` or `dist/src/`: alerts link to them. */
function runbookDir(): string | undefined {
  return [
    join(__dirname, '..', 'docs', 'runbooks'),
    join(__dirname, '..', '..', 'docs', 'runbooks'),
  ].find((dir) => existsSync(dir));
}

/** Hashed asset names change with their content, so browsers may keep them for a year. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  for (const middleware of deps.earlyMiddleware ?? []) app.use(middleware);
  app.use((_req, res, next) => {
    if (deps.isShuttingDown?.() === true) {
      res.setHeader('connection', 'close');
      next(new AppError('PCS_ERR_HTTP_SHUTTING_DOWN'));
      return;
    }
    // Draining: still served, but the client reconnects elsewhere for the next request.
    if (deps.isDraining?.() === true) res.setHeader('connection', 'close');
    next();
  });
  app.use(checkRequestPath);

  for (const guard of deps.guards ?? []) app.use(guard);

  const api = express.Router();
  api.use(recordMountPath);
  for (const guard of deps.apiGuards ?? []) api.use(guard);
  if (deps.metricsHandler !== undefined) api.get('/metrics', deps.metricsHandler);
  // Bulk import takes CSV and JSONL and larger bodies: it parses its own, before the JSON rule.
  api.use(
    importRoutes(deps.cards, deps.importBodyLimitBytes ?? deps.bodyLimitBytes, deps.recordChange),
  );
  for (const router of deps.rawApiRouters ?? []) api.use(router);
  api.use(requireJsonBody);
  api.use(express.json({ limit: deps.bodyLimitBytes, strict: true, verify: requireUtf8 }));
  api.use(requireObjectBody);
  api.use(checkUntrustedInput);
  api.use(cardRoutes(deps.cards, deps.recordChange));
  for (const router of deps.apiRouters ?? []) api.use(router);
  api.use(routeNotFound);
  app.use('/api', api);

  for (const router of deps.rootRouters ?? []) app.use(router);
  const ui = webDir();
  if (ui !== undefined) {
    // Explicit routes (not express.static) so the page has a route label in the metrics.
    // The page itself is revalidated on every load, so a new build is picked up at once.
    app.get(['/', '/index.html'], (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(join(ui, 'index.html'));
    });
    app.get('/assets/:file', (req, res, next) => {
      // `root` confines the name to the folder; a missing file falls through to the 404.
      res.sendFile(
        req.params.file,
        { root: join(ui, 'assets'), headers: { 'cache-control': ASSET_CACHE } },
        (error) => {
          if (error !== undefined && !res.headersSent) next();
        },
      );
    });
    // The icon browsers ask for on every page (`/favicon.ico` by convention, the page names
    // `/favicon.svg`): one SVG, cached for a day.
    // In a build Vite copies web/public to the root; from source it is still in public/.
    const icon = [join(ui, 'favicon.svg'), join(ui, 'public', 'favicon.svg')].find((f) =>
      existsSync(f),
    );
    if (icon !== undefined)
      app.get(['/favicon.ico', '/favicon.svg'], (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=86400');
        res.type('image/svg+xml').sendFile(icon);
      });
  }
  const runbooks = runbookDir();
  if (runbooks !== undefined) {
    // Alerts carry `runbook_url: docs/runbooks/<alert>.md`, which a browser resolves against `/`.
    app.get('/docs/runbooks/:file', (req, res, next) => {
      if (!/^[A-Za-z0-9_-]+\.md$/.test(req.params.file)) return next();
      res.setHeader('cache-control', 'no-cache');
      res.type('text/markdown; charset=utf-8');
      res.sendFile(req.params.file, { root: runbooks }, (error) => {
        if (error !== undefined && !res.headersSent) next();
      });
    });
  }

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  const routes = routeTable(app.router, '', new Map([[api, '/api']]));
  routeTables.set(app, routes);
  setRouteResolver(app, routeMatcher(routes));
  return app;
}

const routeTables = new WeakMap<Express, readonly RouteEntry[]>();

/** Every (method, path) the app built by `buildApp` serves. */
export function routesOf(app: Express): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}
