/**
 * The API process: every module of the `api` role (compose/registry.ts) behind the HTTP layer
 * (compose/api-http.ts). `startServer` is what `main.ts` runs and what tests start on port 0.
 */
import type { Server } from 'node:http';
import type { AnalyticsService } from './analytics/index.js';
import type { AuditTrail } from './audit/index.js';
import type { ApiKeyStore } from './auth/index.js';
import {
  compose,
  listenApi,
  required,
  type ApiHttpOptions,
  type ComposeOptions,
} from './compose/index.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/index.js';
import type { HealthOrchestrator } from './health/index.js';
import type { RouteEntry } from './http/index.js';
import type { RunEngine, RunEventBus } from './runs/index.js';
import type { EventRelay, MlflowTracker } from './sinks/index.js';
import type { Metrics } from './telemetry/metrics/index.js';

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
  /** The names of the modules this process started, in start order. */
  readonly modules: readonly string[];
  /**
   * Graceful stop: `/ready` 503 for SHUTDOWN_DRAIN_MS while requests are still served with
   * `Connection: close`; then refuse new requests, finish in-flight ones up to the deadline,
   * close the modules in reverse order and the database.
   */
  close(): Promise<void>;
}

export type StartOptions = ComposeOptions & ApiHttpOptions;

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const composition = await compose(config, 'api', options);
  const { shared, services } = composition;
  try {
    await composition.start();
    const http = await listenApi(composition, options);
    let closing: Promise<void> | undefined;
    return {
      ...http,
      database: shared.database,
      engine: required(services, 'runtime').engine,
      events: required(services, 'runtime').events,
      metrics: shared.metrics,
      health: composition.health,
      analytics: services.analytics,
      keys: required(services, 'keys'),
      audit: required(services, 'audit'),
      eventRelay: services.eventRelay,
      mlflow: services.mlflow,
      modules: composition.modules.map((m) => m.name),
      close: () =>
        (closing ??= http
          .close(() => composition.closeModules(config.shutdownTimeoutMs))
          .then(() => shared.close())),
    };
  } catch (error) {
    await composition.close(0);
    throw error;
  }
}
