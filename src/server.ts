/**
 * Composition root: config → database (migrated) → stores → services → HTTP server.
 * `startServer` is what `main.ts` runs and what integration tests start on port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import { dirname } from 'node:path';
import {
  AlertDispatcher,
  alertRoutes,
  AlertStore,
  createNotifiers,
  passRateAlerts,
} from './alerting/index.js';
import {
  AnalyticsService,
  AnalyticsStore,
  analyticsRoutes,
  PrometheusSource,
} from './analytics/index.js';
import { buildApp } from './app.js';
import { answerClientErrors, trackConnections } from './http/index.js';
import { CardService, CardStore, seedSamples } from './cards/index.js';
import type { Config } from './config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from './db/index.js';
import { createProviders, ModelClient, type Provider } from './providers/index.js';
import {
  attachProgressSocket,
  RunEngine,
  RunEvents,
  runRoutes,
  RunStore,
  type RunObserver,
} from './runs/index.js';
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
import { runMetricsObserver } from './runs/run-metrics.js';
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
  readonly events: RunEvents;
  /** Undefined when ENABLE_MONITORING=false. */
  readonly metrics: Metrics | undefined;
  readonly health: HealthOrchestrator;
  /** Undefined unless ENABLE_ADVANCED_ANALYTICS=true. */
  readonly analytics: AnalyticsService | undefined;
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
  /** Middleware put before everything else (benchmarks compare other metrics middleware). */
  readonly earlyMiddleware?: readonly RequestHandler[];
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

  const cardStore = new CardStore(database.db);
  const runStore = new RunStore(database.db);
  const cards = new CardService(cardStore, runStore);
  const providers = options.providers ?? createProviders(config.providers);
  const metrics = config.monitoring.enabled
    ? new Metrics({
        httpBuckets: config.monitoring.httpBuckets,
        maxSeriesPerMetric: config.monitoring.maxSeriesPerMetric,
      })
    : undefined;
  const collector = metrics === undefined ? undefined : new MetricsCollector(metrics);
  MetricsCollector.install(collector);
  const models = new ModelClient(providers, {
    timeoutMs: config.providers.timeoutMs,
    maxRetries: config.providers.maxRetries,
    prices: config.providers.prices,
    embeddingModel: config.providers.embeddingModel,
    graderModel: config.providers.graderModel,
    captureMessageContent: config.providers.captureMessageContent,
    retry: {
      baseDelayMs: config.providers.retryBaseDelayMs,
      onRetry: (error, attempt, delayMs) =>
        logger.debug({ kind: error.kind, attempt, delayMs }, 'retrying model call'),
    },
  });
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
  const events = new RunEvents();
  const engine = new RunEngine({
    runs: runStore,
    cards: cardStore,
    models,
    events,
    logger,
    observers: [
      ...(collector === undefined ? [] : [runMetricsObserver(collector)]),
      passRateAlerts({ cards: cardStore, store: alertStore, dispatcher, logger }),
      ...(options.runObservers ?? []),
    ],
  });
  if (metrics !== undefined) metrics.queueDepth = () => engine.queuedItemCount();
  await engine.recover();
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
        ...(config.analytics.prometheusUrl === undefined
          ? {}
          : { prometheus: new PrometheusSource(config.analytics.prometheusUrl) }),
      })
    : undefined;
  await analytics?.start();

  let shuttingDown = false;
  let draining = false;
  const app = buildApp({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
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
    apiRouters: [
      alertRoutes({
        store: alertStore,
        dispatcher,
        token: config.alerting.webhookToken,
        logger,
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
      }),
      analyticsRoutes(
        analytics,
        config.analytics.rollupRetentionMs,
        config.analytics.sampleIntervalMs,
      ),
    ],
    isShuttingDown: () => shuttingDown,
    isDraining: () => draining,
  });
  const server = createServer(app);
  answerClientErrors(server);
  const connections = trackConnections(server);
  const socket = attachProgressSocket(
    server,
    { runs: runStore, events, logger },
    { onConnectionCountChange: (count) => metrics?.activeWebsocketConnections.set(count) },
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
      await engine.shutdown(config.shutdownTimeoutMs);
      await analytics?.stop();
      await socket.close();
      await drained;
      eventLoop.stop();
      await redis?.close();
      if (collector !== undefined) MetricsCollector.install(undefined);
      await database.close();
    })();
    return closing;
  };
  return { url, port, server, database, engine, events, metrics, health, analytics, close };
}
