/**
 * Composition root of a worker process: config → database (migrated) → stores → the run
 * machinery executing jobs from the shared queue (RUN_QUEUE=redis) → a small HTTP server on
 * WORKER_PORT with `/live`, `/ready` and `/api/metrics` (no API routes). `startWorker` is what
 * `worker.ts` runs and what tests start on port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CardStore } from './cards/index.js';
import type { Config } from './config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from './db/index.js';
import {
  databaseCheck,
  eventLoopCheck,
  HealthOrchestrator,
  healthRoutes,
  redisCheck,
  statusValue,
  type HealthCheck,
} from './health/index.js';
import { errorHandler, routeNotFound } from './http/index.js';
import { createProviders, modelClientFor, type Provider } from './providers/index.js';
import { RunStore, startRunRuntime, type RunRuntime } from './runs/index.js';
import { runMetricsObserver } from './runs/run-metrics.js';
import type { Logger } from './telemetry/logging/index.js';
import { Metrics, MetricsCollector, metricsHandler } from './telemetry/metrics/index.js';

export interface RunningWorker {
  readonly url: string;
  readonly server: Server;
  readonly database: DatabaseHandle;
  readonly runtime: RunRuntime;
  readonly metrics: Metrics | undefined;
  close(): Promise<void>;
}

export interface WorkerOptions {
  readonly logger: Logger;
  readonly postgresSchema?: string;
  readonly providers?: readonly Provider[];
  readonly heartbeatMs?: number;
}

export async function startWorker(config: Config, options: WorkerOptions): Promise<RunningWorker> {
  const { logger } = options;
  if (config.runs.queue !== 'redis' || config.redisUrl === undefined)
    throw new Error('A worker needs RUN_QUEUE=redis and REDIS_URL');
  const database = await connectDatabase(config.databaseUrl, {
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
  });
  await migrateToLatest(database.db);
  const metrics = config.monitoring.enabled
    ? new Metrics({ maxSeriesPerMetric: config.monitoring.maxSeriesPerMetric })
    : undefined;
  const collector = metrics === undefined ? undefined : new MetricsCollector(metrics);
  MetricsCollector.install(collector);
  const cards = new CardStore(database.db);
  const runs = new RunStore(database.db);
  const runtime = await startRunRuntime(config, {
    db: database.db,
    runs,
    cards,
    models: modelClientFor(config, options.providers ?? createProviders(config.providers), logger),
    logger,
    executes: true,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    onTakeover: () => collector?.safely('run_metrics', () => metrics?.runLeaseTakeovers.inc()),
    onCacheLookup: (hit) =>
      collector?.safely('run_metrics', () =>
        metrics?.answerCacheRequests.inc({ outcome: hit ? 'hit' : 'miss' }),
      ),
    onJob: (outcome) =>
      collector?.safely('run_metrics', () => metrics?.runQueueJobs.inc({ outcome })),
    observers: collector === undefined ? [] : [runMetricsObserver(collector)],
  });
  if (metrics !== undefined) {
    metrics.queueBacklog = () => runtime.backlog();
    metrics.activeLeases = () => runtime.leases.activeCount();
  }

  const eventLoop = eventLoopCheck();
  const redis = redisCheck(config.redisUrl);
  const checks: HealthCheck[] = [databaseCheck(database.db, database.kind), eventLoop, redis];
  const health = new HealthOrchestrator(checks, {
    deadlineMs: config.health.checkTimeoutMs,
    cacheTtlMs: config.health.cacheTtlMs,
    onResult: (result) =>
      collector?.safely('health_metrics', () =>
        metrics?.healthCheckStatus.set({ check: result.name }, statusValue(result.status)),
      ),
  });
  const app = express();
  app.disable('x-powered-by');
  if (metrics !== undefined)
    app.get('/api/metrics', metricsHandler(metrics, config.monitoring.metricsToken));
  app.use(healthRoutes(health));
  app.use(routeNotFound);
  app.use(errorHandler(logger));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.runs.workerPort, config.host, () => {
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
      health.beginShutdown();
      await runtime.close(config.shutdownTimeoutMs);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      eventLoop.stop();
      await redis.close();
      if (collector !== undefined) MetricsCollector.install(undefined);
      await database.close();
    })();
    return closing;
  };
  return { url, server, database, runtime, metrics, close };
}
