/**
 * buildApp(deps): wires middleware and routes. No business logic lives here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { recordMountPath } from './telemetry/metrics/index.js';
import { cardRoutes, type CardService } from './cards/index.js';
import { AppError } from './errors.js';
import {
  checkRequestPath,
  checkUntrustedInput,
  errorHandler,
  requireJsonBody,
  routeNotFound,
} from './http/index.js';
import type { Logger } from './telemetry/logging/index.js';

export interface AppDeps {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly cards: CardService;
  /** GET /api/metrics, when monitoring is on. */
  readonly metricsHandler?: RequestHandler;
  /** More routers mounted under /api (runs, models, …). */
  readonly apiRouters?: readonly Router[];
  /** Routers mounted at the root (health probes). */
  readonly rootRouters?: readonly Router[];
  /** Middleware that runs before everything else (metrics, access log). */
  readonly earlyMiddleware?: readonly RequestHandler[];
  /** True while the server closes for shutdown: new requests get 503. */
  readonly isShuttingDown?: () => boolean;
  /** True in the drain period before that: requests are served with `Connection: close`. */
  readonly isDraining?: () => boolean;
}

/** The built-in web UI: `public/` at the package root, found from `src/` or `dist/src/`. */
function publicDir(): string | undefined {
  return [join(__dirname, '..', 'public'), join(__dirname, '..', '..', 'public')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}

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

  const api = express.Router();
  api.use(recordMountPath);
  if (deps.metricsHandler !== undefined) api.get('/metrics', deps.metricsHandler);
  api.use(requireJsonBody);
  api.use(express.json({ limit: deps.bodyLimitBytes, strict: true }));
  api.use(checkUntrustedInput);
  api.use(cardRoutes(deps.cards));
  for (const router of deps.apiRouters ?? []) api.use(router);
  api.use(routeNotFound);
  app.use('/api', api);

  for (const router of deps.rootRouters ?? []) app.use(router);
  const ui = publicDir();
  if (ui !== undefined) {
    // Explicit routes (not express.static) so the page has a route label in the metrics.
    app.get(['/', '/index.html'], (_req, res) => res.sendFile(join(ui, 'index.html')));
  }

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}
