/**
 * The API's HTTP layer over a composition: the Express app (guards, authentication, write
 * limit, metrics, access log, every module's routes), the progress WebSocket, the listening
 * server, and its graceful close (drain, refuse, finish in-flight requests up to the deadline).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { buildApp, routesOf } from '../app.js';
import { accessMiddleware, identityOf, socketAccess } from '../auth/index.js';
import { healthRoutes } from '../health/index.js';
import {
  answerClientErrors,
  browserRefusal,
  createHttpServer,
  listen,
  hostGuard,
  hostName,
  requireJsonWrites,
  securityHeaders,
  trackConnections,
  writeRateLimit,
  type HostPolicy,
  type RecordChange,
  type RouteEntry,
} from '../http/index.js';
import { allRouteDocs, loadOpenApiDocument, openApiRoutes } from '../openapi/index.js';
import { attachProgressSocket } from '../runs/index.js';
import { accessLog } from '../telemetry/logging/index.js';
import { metricsHandler, metricsMiddleware, routeLabel } from '../telemetry/metrics/index.js';
import {
  isTracingActive,
  serverSpanMiddleware,
  traceExemplar,
} from '../telemetry/tracing/index.js';
import { setPageCursorKey } from '../util/index.js';
import { VERSION } from '../version.js';
import { required, type Composition } from './compose.js';
import { urlOf } from './url-of.js';

export interface ApiHttpOptions {
  /** Redis key prefix of the write rate limit (tests isolate themselves with it). */
  readonly rateLimitRedisPrefix?: string;
  /** Middleware put before everything else (benchmarks compare other metrics middleware). */
  readonly earlyMiddleware?: readonly RequestHandler[];
}

export interface ApiHttp {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  readonly routes: readonly RouteEntry[];
  /** Drain, refuse new requests, then `closeModules` (runs first), then the sockets. */
  close(closeModules: () => Promise<void>): Promise<void>;
}

export async function listenApi(
  composition: Composition,
  options: ApiHttpOptions,
): Promise<ApiHttp> {
  const { shared, services, health } = composition;
  const { config, logger, metrics } = shared;
  const audit = required(services, 'audit');
  const authenticator = required(services, 'authenticator');
  const runtime = required(services, 'runtime');
  const recordChange: RecordChange = async (req, change) => {
    const identity = identityOf(req);
    await audit.append({
      actor: change.actor?.subject ?? identity.subject,
      role: change.actor?.role ?? (identity.authenticated ? identity.role : 'anonymous'),
      action: change.action,
      targetId: change.targetId,
      before: change.before,
      after: change.after,
    });
  };
  const hostPolicy: HostPolicy = {
    allowedHosts: config.access.allowedHosts.map(hostName),
    loopbackOnly: config.access.authMode === 'none',
  };
  const rateLimitRedis =
    config.redisUrl === undefined || config.access.rateLimitWrites === 0
      ? undefined
      : new (await import('ioredis')).Redis(config.redisUrl, {
          maxRetriesPerRequest: 1,
          connectTimeout: 1000,
        });
  rateLimitRedis?.on('error', (error: unknown) =>
    logger.debug({ err: error }, 'rate limit redis error'),
  );
  let shuttingDown = false;
  let draining = false;
  const moduleRouters = await Promise.all(
    composition.modules.map((m) => m.module.routes?.({ recordChange }) ?? Promise.resolve([])),
  );
  const rawRouters = await Promise.all(
    composition.modules.map((m) => m.module.rawRoutes?.() ?? Promise.resolve([])),
  );
  const docs = allRouteDocs({
    maxConcurrency: config.runs.maxConcurrency,
    defaultConcurrency: config.runs.defaultConcurrency,
  });
  // Every replica derives the same key, so a token issued by one is accepted by the others.
  setPageCursorKey(config.secrets);
  const app = buildApp({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    importBodyLimitBytes: config.importBodyLimitBytes,
    cards: required(services, 'cards'),
    earlyMiddleware: [
      ...(options.earlyMiddleware ?? []),
      ...(isTracingActive() ? [serverSpanMiddleware(routeLabel)] : []),
      accessLog(logger, routeLabel),
      ...(metrics === undefined ? [] : [metricsMiddleware(metrics, traceExemplar)]),
    ],
    ...(metrics === undefined
      ? {}
      : { metricsHandler: metricsHandler(metrics, config.monitoring.metricsToken) }),
    rootRouters: [healthRoutes(health)],
    guards: [hostGuard(hostPolicy), securityHeaders()],
    apiGuards: [
      requireJsonWrites,
      accessMiddleware(
        authenticator,
        new Set([
          ...(config.monitoring.metricsToken === undefined ? [] : ['/metrics']),
          ...(config.alerting.webhookToken === undefined ? [] : ['/alerts/webhook']),
        ]),
      ),
      ...(config.access.rateLimitWrites === 0
        ? []
        : [
            writeRateLimit({
              limit: config.access.rateLimitWrites,
              windowMs: config.access.rateLimitWindowMs,
              clientKey: rateLimitClient,
              logger,
              ...(rateLimitRedis === undefined ? {} : { redis: rateLimitRedis }),
              ...(options.rateLimitRedisPrefix === undefined
                ? {}
                : { redisPrefix: options.rateLimitRedisPrefix }),
            }),
          ]),
    ],
    rawApiRouters: rawRouters.flat(),
    apiRouters: [
      openApiRoutes(() => loadOpenApiDocument(docs, { version: VERSION })),
      ...moduleRouters.flat(),
    ],
    isShuttingDown: () => shuttingDown,
    recordChange,
    isDraining: () => draining,
  });
  const server = createHttpServer(app, config.http);
  answerClientErrors(server);
  const connections = trackConnections(server);
  await listen(server, config.port, config.host);
  // Attached after the listen succeeded: a WebSocketServer re-emits its HTTP server's errors,
  // and a failed listen would then be an unhandled 'error' event instead of a start-up error.
  const socket = attachProgressSocket(
    server,
    { runs: shared.runs, events: runtime.events, logger },
    {
      onConnectionCountChange: (count) => metrics?.activeWebsocketConnections.set(count),
      onTerminated: (reason) => metrics?.websocketTerminated.inc({ reason }),
      maxBufferedBytes: config.websocket.maxBufferedBytes,
      heartbeatIntervalMs: config.websocket.heartbeatIntervalMs,
      access: socketAccess(authenticator, (req) => browserRefusal(req, hostPolicy, true)),
    },
  );
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: urlOf(config.host, port),
    routes: routesOf(app),
    close: async (closeModules) => {
      // Drain period: /ready answers 503 so load balancers stop routing here, while requests
      // (and kept-alive connections) are still served, each answer saying `Connection: close`.
      draining = true;
      health.beginShutdown();
      if (config.shutdownDrainMs > 0) {
        logger.info({ drainMs: config.shutdownDrainMs }, 'draining before shutdown');
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      }
      shuttingDown = true;
      const drained = connections.close(config.shutdownTimeoutMs, () =>
        logger.warn(
          { timeoutMs: config.shutdownTimeoutMs },
          'shutdown deadline reached; closing open connections',
        ),
      );
      // Runs finish (or are marked interrupted) first, so subscribers still get run.finished;
      // upgraded WebSocket connections hold server.close() open until they are closed here.
      await closeModules();
      await socket.close();
      await drained;
      rateLimitRedis?.disconnect();
    },
  };
}

/** Who a write counts against: the API key or proxy user, else the peer address. */
function rateLimitClient(req: Request): string {
  const identity = identityOf(req);
  if (identity.authenticated) return `id:${identity.keyId ?? identity.subject}`;
  return `ip:${ipKeyGenerator(req.socket.remoteAddress ?? 'unknown')}`;
}
