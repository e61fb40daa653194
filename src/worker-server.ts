/**
 * The worker process: every module of the `worker` role (compose/registry.ts) — the run
 * machinery executing jobs from the shared queue (RUN_QUEUE=redis) with the same stores,
 * cipher, model client, observers, sinks and alerts as the API — and a small HTTP server on
 * WORKER_PORT with `/live`, `/ready` and `/api/metrics`. `startWorker` is what `worker.ts`
 * runs and what tests start on port 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { compose, required, urlOf, type ComposeOptions } from './compose/index.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/index.js';
import { healthRoutes } from './health/index.js';
import { createHttpServer, errorHandler, listen, routeNotFound } from './http/index.js';
import type { RunRuntime } from './runs/index.js';
import { metricsHandler, type Metrics } from './telemetry/metrics/index.js';

export interface RunningWorker {
  readonly url: string;
  readonly server: Server;
  readonly database: DatabaseHandle;
  readonly runtime: RunRuntime;
  readonly metrics: Metrics | undefined;
  /** The names of the modules this process started, in start order. */
  readonly modules: readonly string[];
  close(): Promise<void>;
}

export type WorkerOptions = ComposeOptions;

export async function startWorker(config: Config, options: WorkerOptions): Promise<RunningWorker> {
  if (config.runs.queue !== 'redis' || config.redisUrl === undefined)
    throw new Error('A worker needs RUN_QUEUE=redis and REDIS_URL');
  const composition = await compose(config, 'worker', options);
  const { shared, health } = composition;
  try {
    await composition.start();
    const app = express();
    app.disable('x-powered-by');
    if (shared.metrics !== undefined)
      app.get('/api/metrics', metricsHandler(shared.metrics, config.monitoring.metricsToken));
    app.use(healthRoutes(health));
    app.use(routeNotFound);
    app.use(errorHandler(shared.logger));
    const server = createHttpServer(app, config.http);
    await listen(server, config.runs.workerPort, config.host);
    let closing: Promise<void> | undefined;
    const close = async () => {
      health.beginShutdown();
      await composition.closeModules(config.shutdownTimeoutMs);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await shared.close();
    };
    return {
      url: urlOf(config.host, (server.address() as AddressInfo).port),
      server,
      database: shared.database,
      runtime: required(composition.services, 'runtime'),
      metrics: shared.metrics,
      modules: composition.modules.map((m) => m.name),
      close: () => (closing ??= close()),
    };
  } catch (error) {
    await composition.close(0);
    throw error;
  }
}
