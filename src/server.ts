/**
 * Composition root: config → database (migrated) → stores → services → HTTP server.
 * `startServer` is what `main.ts` runs and what integration tests start on port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
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
import type { Logger } from './telemetry/logging/index.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly database: DatabaseHandle;
  readonly engine: RunEngine;
  readonly events: RunEvents;
  /** Graceful stop: refuse new requests, drain in-flight ones up to the deadline, close the DB. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** PostgreSQL only: a schema to create and use (test isolation). */
  readonly postgresSchema?: string;
  /** Replaces the providers the configuration would create (benchmarks, tests). */
  readonly providers?: readonly Provider[];
  readonly runObservers?: readonly RunObserver[];
}

async function openDatabase(config: Config, options: StartOptions): Promise<DatabaseHandle> {
  const database = await connectDatabase(config.databaseUrl, {
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
  });
  try {
    const applied = await migrateToLatest(database.db);
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
  const models = new ModelClient(options.providers ?? createProviders(config.providers), {
    timeoutMs: config.providers.timeoutMs,
    maxRetries: config.providers.maxRetries,
    prices: config.providers.prices,
    embeddingModel: config.providers.embeddingModel,
    graderModel: config.providers.graderModel,
    retry: {
      baseDelayMs: config.providers.retryBaseDelayMs,
      onRetry: (error, attempt, delayMs) =>
        logger.debug({ kind: error.kind, attempt, delayMs }, 'retrying model call'),
    },
  });
  const events = new RunEvents();
  const engine = new RunEngine({
    runs: runStore,
    cards: cardStore,
    models,
    events,
    logger,
    ...(options.runObservers === undefined ? {} : { observers: options.runObservers }),
  });
  await engine.recover();
  if (config.seedSamples) {
    const seeded = await seedSamples(cardStore);
    if (seeded > 0) logger.info({ cards: seeded }, 'inserted sample prompt cards');
  }

  let shuttingDown = false;
  const app = buildApp({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    cards,
    apiRouters: [
      runRoutes({
        engine,
        runs: runStore,
        cards: cardStore,
        models,
        maxConcurrency: config.runs.maxConcurrency,
        defaultConcurrency: config.runs.defaultConcurrency,
      }),
    ],
    isShuttingDown: () => shuttingDown,
  });
  const server = createServer(app);
  const socket = attachProgressSocket(server, { runs: runStore, events, logger });
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
      shuttingDown = true;
      const drained = drain(server, config.shutdownTimeoutMs, logger);
      // Runs finish (or are marked interrupted) first, so subscribers still get run.finished;
      // upgraded WebSocket connections hold server.close() open until they are closed here.
      await engine.shutdown(config.shutdownTimeoutMs);
      await socket.close();
      await drained;
      await database.close();
    })();
    return closing;
  };
  return { url, port, server, database, engine, events, close };
}

/** Stops accepting connections and waits for in-flight requests, up to `timeoutMs`. */
async function drain(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open forever; busy ones finish their request.
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn({ timeoutMs }, 'shutdown deadline reached; closing open connections');
    server.closeAllConnections();
  }, timeoutMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
