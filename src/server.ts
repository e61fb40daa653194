/**
 * Composition root: config → database (migrated) → stores → services → HTTP server.
 * `startServer` is what `main.ts` runs and what integration tests start on port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { dirname } from 'node:path';
import {
  AlertDispatcher,
  alertRoutes,
  AlertStore,
  createNotifiers,
  passRateAlerts,
  regressionAlerts,
} from './alerting/index.js';
import {
  AnalyticsService,
  AnalyticsStore,
  analyticsRoutes,
  PrometheusSource,
} from './analytics/index.js';
import { buildApp, routesOf } from './app.js';
import { auditRoutes, AuditTrail } from './audit/index.js';
import {
  accessMiddleware,
  ApiKeyStore,
  Authenticator,
  identityOf,
  keyRoutes,
  socketAccess,
} from './auth/index.js';
import {
  answerClientErrors,
  browserRefusal,
  hostGuard,
  hostName,
  requireJsonWrites,
  securityHeaders,
  trackConnections,
  writeRateLimit,
  type HostPolicy,
  type RecordChange,
  type RouteEntry,
} from './http/index.js';
import { Redis } from 'ioredis';
import {
  CardService,
  CardStore,
  CardVersionStore,
  seedSamples,
  versionRoutes,
} from './cards/index.js';
import { PLACEHOLDER_SECRETS, type Config } from './config.js';
import { VERSION } from './version.js';
import {
  checkEncryptionKey,
  connectDatabase,
  FieldCipher,
  migrateToLatest,
  type DatabaseHandle,
} from './db/index.js';
import { createProviders, modelClientFor, type Provider } from './providers/index.js';
import {
  attachProgressSocket,
  runRoutes,
  RunStore,
  startRunRuntime,
  type RunEngine,
  type RunEventBus,
  type RunObserver,
} from './runs/index.js';
import { RunComparer } from './runs/compare/index.js';
import {
  databaseCheck,
  diskCheck,
  eventLoopCheck,
  HealthOrchestrator,
  healthRoutes,
  memoryCheck,
  providerCheck,
  redisCheck,
  statusValue,
  type HealthCheck,
} from './health/index.js';
import { allRouteDocs, openApiDocument, openApiRoutes } from './openapi/index.js';
import { runMetricsObserver } from './runs/run-metrics.js';
import {
  createEventRelay,
  influxdbSink,
  mlflowCheck,
  MlflowClient,
  MlflowTracker,
  samplePoints,
  sinkMetrics,
  timeSeriesCheck,
  timeSeriesObserver,
  type EventRelay,
  type EventSink,
} from './sinks/index.js';
import { accessLog, type Logger } from './telemetry/logging/index.js';
import { isTracingActive, serverSpanMiddleware, traceExemplar } from './telemetry/tracing/index.js';
import {
  Metrics,
  MetricsCollector,
  metricsHandler,
  metricsMiddleware,
  routeLabel,
} from './telemetry/metrics/index.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly database: DatabaseHandle;
  readonly engine: RunEngine;
  readonly events: RunEventBus;
  /** Undefined when ENABLE_MONITORING=false. */
  readonly metrics: Metrics | undefined;
  readonly health: HealthOrchestrator;
  /** Undefined unless ENABLE_ADVANCED_ANALYTICS=true. */
  readonly analytics: AnalyticsService | undefined;
  readonly keys: ApiKeyStore;
  readonly audit: AuditTrail;
  /** Every (method, path) the HTTP app serves. */
  readonly routes: readonly RouteEntry[];
  /** Undefined unless EVENT_SINK is set. */
  readonly eventRelay: EventRelay | undefined;
  /** Undefined unless MLFLOW_TRACKING_URI is set. */
  readonly mlflow: MlflowTracker | undefined;
  /**
   * Graceful stop: `/ready` 503 for SHUTDOWN_DRAIN_MS while requests are still served with
   * `Connection: close`; then refuse new requests, finish in-flight ones up to the deadline,
   * close the DB.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** PostgreSQL only: a schema to create and use (test isolation). */
  readonly postgresSchema?: string;
  /** Replaces the providers the configuration would create (benchmarks, tests). */
  readonly providers?: readonly Provider[];
  readonly runObservers?: readonly RunObserver[];
  /** Redis key prefix of the write rate limit (tests isolate themselves with it). */
  readonly rateLimitRedisPrefix?: string;
  /** Middleware put before everything else (benchmarks compare other metrics middleware). */
  readonly earlyMiddleware?: readonly RequestHandler[];
  /** Replaces the event sink EVENT_SINK would create (tests). */
  readonly eventSink?: EventSink;
  /** Lease renewal period in milliseconds (tests shorten it); a third of the lease by default. */
  readonly heartbeatMs?: number;
}

async function openDatabase(config: Config, options: StartOptions): Promise<DatabaseHandle> {
  const database = await connectDatabase(config.databaseUrl, {
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
    timeoutMs: config.databaseTimeoutMs,
    onPoolError: (error) =>
      options.logger.warn(
        { error: { message: error.message, code: (error as { code?: unknown }).code } },
        'database connection lost; the pool reconnects',
      ),
  });
  try {
    const applied = await migrateToLatest(database.db, database.schema);
    if (applied.length > 0) options.logger.info({ migrations: applied }, 'database migrated');
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const database = await openDatabase(config, options);

  const audit = new AuditTrail(database.db, {
    current: config.secrets.auditSecret,
    previous: config.secrets.auditSecretPrevious,
  });
  try {
    await audit.open();
  } catch (error) {
    await database.close();
    throw error;
  }
  if (!audit.signed) logger.warn('AUDIT_SECRET is not set: audit records are written unsigned');
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
  await audit.append({
    actor: 'system',
    role: 'system',
    action: 'config.loaded',
    targetId: 'service',
    after: redactedConfig(config),
  });
  const cipher = fieldCipher(config, logger);
  try {
    await checkEncryptionKey(database.db, cipher);
  } catch (error) {
    await database.close();
    throw error;
  }
  const keys = new ApiKeyStore(database.db);
  const authenticator = new Authenticator(
    config.access.authMode,
    keys,
    config.access.trustedProxyCidrs,
  );
  const metrics = config.monitoring.enabled
    ? new Metrics({
        httpBuckets: config.monitoring.httpBuckets,
        maxSeriesPerMetric: config.monitoring.maxSeriesPerMetric,
      })
    : undefined;
  const sinkMeters = sinkMetrics(metrics);
  const eventRelay = createEventRelay(config, {
    db: database.db,
    metrics: sinkMeters,
    logger,
    ...(options.eventSink === undefined ? {} : { sink: options.eventSink }),
  });
  const timeSeries =
    config.influxdb === undefined
      ? undefined
      : influxdbSink({ ...config.influxdb, backoff: config.sinkRetry }, sinkMeters, logger);
  const mlflowClient =
    config.mlflow === undefined
      ? undefined
      : new MlflowClient(config.mlflow.trackingUri, config.mlflow.token);
  const cardStore = new CardStore(database.db, cipher);
  const versions = new CardVersionStore(database.db, cipher);
  const runStore = new RunStore(database.db, cipher, eventRelay?.outbox);
  const cards = new CardService(cardStore, runStore);
  const mlflow =
    mlflowClient === undefined || config.mlflow === undefined
      ? undefined
      : new MlflowTracker(mlflowClient, sinkMeters, logger, {
          maxQueuedRuns: config.mlflow.maxQueuedRuns,
          maxAttempts: config.mlflow.maxAttempts,
          backoff: config.sinkRetry,
          // Every result, read by key a chunk at a time (OFFSET pages made this quadratic).
          results: (runId) => runStore.iterateResults(runId, { limit: Number.MAX_SAFE_INTEGER }),
        });
  const providers = options.providers ?? createProviders(config.providers);
  const collector = metrics === undefined ? undefined : new MetricsCollector(metrics);
  MetricsCollector.install(collector);
  const models = modelClientFor(config, providers, logger);
  const dispatcher = new AlertDispatcher(createNotifiers(config.alerting), {
    onOutcome: (channel, outcome, error) => {
      collector?.safely('alert_metrics', () =>
        metrics?.alertNotifications.inc({ channel, outcome }),
      );
      if (outcome !== 'sent')
        logger.warn({ channel, outcome, error }, 'alert notification not delivered');
    },
  });

  const alertStore = new AlertStore(database.db);
  const runtime = await startRunRuntime(config, {
    db: database.db,
    runs: runStore,
    cards: cardStore,
    versions,
    models,
    logger,
    executes: config.runs.execution !== 'api',
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    onTakeover: () => collector?.safely('run_metrics', () => metrics?.runLeaseTakeovers.inc()),
    onCacheLookup: (hit) =>
      collector?.safely('run_metrics', () =>
        metrics?.answerCacheRequests.inc({ outcome: hit ? 'hit' : 'miss' }),
      ),
    onJob: (outcome) =>
      collector?.safely('run_metrics', () => metrics?.runQueueJobs.inc({ outcome })),
    observers: [
      ...(collector === undefined ? [] : [runMetricsObserver(collector)]),
      passRateAlerts({ cards: cardStore, store: alertStore, dispatcher, logger }),
      ...(timeSeries === undefined ? [] : [timeSeriesObserver(timeSeries)]),
      ...(mlflow === undefined ? [] : [mlflow.observer()]),
      ...(options.runObservers ?? []),
    ],
  });
  const { engine, events } = runtime;
  if (metrics !== undefined) {
    metrics.queueBacklog = () => runtime.backlog();
    metrics.activeLeases = () => runtime.leases.activeCount();
  }
  await engine.recover();
  eventRelay?.start();
  if (config.seedSamples) {
    const seeded = await seedSamples(cardStore);
    if (seeded > 0) logger.info({ cards: seeded }, 'inserted sample prompt cards');
  }

  const eventLoop = eventLoopCheck();
  const redis = config.redisUrl === undefined ? undefined : redisCheck(config.redisUrl);
  const checks: HealthCheck[] = [
    databaseCheck(database.db, database.kind),
    ...providers.map(providerCheck),
    diskCheck(database.filePath === undefined ? process.cwd() : dirname(database.filePath)),
    memoryCheck(),
    eventLoop,
    ...(redis === undefined ? [] : [redis]),
    ...(eventRelay === undefined ? [] : [eventRelay.check]),
    ...(timeSeries === undefined ? [] : [timeSeriesCheck(timeSeries)]),
    ...(mlflowClient === undefined ? [] : [mlflowCheck((signal) => mlflowClient.ping(signal))]),
  ];
  const health = new HealthOrchestrator(checks, {
    deadlineMs: config.health.checkTimeoutMs,
    cacheTtlMs: config.health.cacheTtlMs,
    onResult: (result) =>
      collector?.safely('health_metrics', () => {
        metrics?.healthCheckStatus.set({ check: result.name }, statusValue(result.status));
        metrics?.healthCheckDuration.set({ check: result.name }, result.latency_ms / 1000);
      }),
  });

  const analytics = config.analytics.enabled
    ? new AnalyticsService({
        store: new AnalyticsStore(database.db, database.kind, config.analytics.rawRetentionMs),
        config: config.analytics,
        metrics,
        logger,
        dataDir: database.filePath === undefined ? process.cwd() : dirname(database.filePath),
        alerts: { store: alertStore, dispatcher },
        ...(timeSeries === undefined
          ? {}
          : { onSample: (at, values) => timeSeries.write(samplePoints(at, values)) }),
        ...(config.analytics.prometheusUrl === undefined
          ? {}
          : { prometheus: new PrometheusSource(config.analytics.prometheusUrl) }),
      })
    : undefined;
  await analytics?.start();

  const hostPolicy: HostPolicy = {
    allowedHosts: config.access.allowedHosts.map(hostName),
    loopbackOnly: config.access.authMode === 'none',
  };
  const rateLimitRedis =
    config.redisUrl === undefined || config.access.rateLimitWrites === 0
      ? undefined
      : new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 1000 });
  rateLimitRedis?.on('error', (error: unknown) =>
    logger.debug({ err: error }, 'rate limit redis error'),
  );

  let shuttingDown = false;
  let draining = false;
  const app = buildApp({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    importBodyLimitBytes: config.importBodyLimitBytes,
    cards,
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
    apiRouters: [
      openApiRoutes(
        openApiDocument(
          allRouteDocs({
            maxConcurrency: config.runs.maxConcurrency,
            defaultConcurrency: config.runs.defaultConcurrency,
          }),
          { version: VERSION },
        ),
      ),
      keyRoutes(keys, recordChange),
      auditRoutes(audit),
      versionRoutes(cards, versions),
      alertRoutes({
        store: alertStore,
        dispatcher,
        token: config.alerting.webhookToken,
        logger,
        record: recordChange,
        onTruncated: (count) =>
          collector?.safely('alert_metrics', () => metrics?.alertWebhookTruncated.inc(count)),
      }),
      runRoutes({
        engine,
        runs: runStore,
        cards: cardStore,
        models,
        maxConcurrency: config.runs.maxConcurrency,
        defaultConcurrency: config.runs.defaultConcurrency,
        record: recordChange,
        compareAlpha: config.runs.compareAlpha,
        comparer: new RunComparer(
          runStore,
          regressionAlerts({
            store: alertStore,
            dispatcher,
            count: (card, model) =>
              collector?.safely('regression_metrics', () =>
                metrics?.promptCardRegressions.inc(
                  metrics.admit('prompt_card_regressions_total', { card, model }, [
                    'card',
                    'model',
                  ]),
                ),
              ),
          }),
        ),
      }),
      analyticsRoutes(
        analytics,
        config.analytics.rollupRetentionMs,
        config.analytics.sampleIntervalMs,
      ),
    ],
    isShuttingDown: () => shuttingDown,
    recordChange,
    isDraining: () => draining,
  });
  const server = createServer(app);
  answerClientErrors(server);
  const connections = trackConnections(server);
  const socket = attachProgressSocket(
    server,
    { runs: runStore, events, logger },
    {
      onConnectionCountChange: (count) => metrics?.activeWebsocketConnections.set(count),
      access: socketAccess(authenticator, (req) => browserRefusal(req, hostPolicy, true)),
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
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
      await runtime.close(config.shutdownTimeoutMs);
      await analytics?.stop();
      await socket.close();
      await drained;
      eventLoop.stop();
      await redis?.close();
      rateLimitRedis?.disconnect();
      await eventRelay?.close();
      await timeSeries?.close();
      await mlflow?.close();
      if (collector !== undefined) MetricsCollector.install(undefined);
      await database.close();
    })();
    return closing;
  };
  return {
    url,
    port,
    server,
    database,
    engine,
    events,
    metrics,
    health,
    analytics,
    keys,
    audit,
    routes: routesOf(app),
    eventRelay,
    mlflow,
    close,
  };
}

/**
 * METRICS_ENCRYPTION_KEY as a cipher. The setup guide's placeholder (accepted outside
 * production only) is not a key: encryption stays off, with a warning.
 */
export function fieldCipher(config: Config, logger: Logger): FieldCipher {
  const placeholder = (key: string | undefined) =>
    key !== undefined && (PLACEHOLDER_SECRETS as readonly string[]).includes(key);
  const { metricsEncryptionKey: current, metricsEncryptionKeyPrevious: previous } = config.secrets;
  if (placeholder(current)) {
    logger.warn(
      'METRICS_ENCRYPTION_KEY is the placeholder from the guide: encryption at rest is off',
    );
    return new FieldCipher(undefined);
  }
  return new FieldCipher(current, placeholder(previous) ? undefined : previous);
}

/**
 * The configuration as the audit trail records it at start: every secret, URL with
 * credentials or key is replaced by whether it is set.
 */
function redactedConfig(config: Config): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) =>
      /token|secret|key|password|url/i.test(key) ? value !== undefined : value,
    ),
  ) as unknown;
}

/** Who a write counts against: the API key or proxy user, else the peer address. */
function rateLimitClient(req: Request): string {
  const identity = identityOf(req);
  if (identity.authenticated) return `id:${identity.keyId ?? identity.subject}`;
  return `ip:${ipKeyGenerator(req.socket.remoteAddress ?? 'unknown')}`;
}
