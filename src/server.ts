/**
 * Composition root: config → database (migrated) → stores → services → HTTP server.
 * `startServer` is what `main.ts` runs and what integration tests start on port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { CardService, CardStore, seedSamples, type ActiveRunGuard } from './cards/index.js';
import type { Config } from './config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from './db/index.js';
import type { Logger } from './telemetry/logging/index.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly database: DatabaseHandle;
  /** Graceful stop: refuse new requests, drain in-flight ones up to the deadline, close the DB. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** PostgreSQL only: a schema to create and use (test isolation). */
  readonly postgresSchema?: string;
}

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const database = await connectDatabase(config.databaseUrl, {
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
  });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    await database.close();
    throw error;
  }

  const cardStore = new CardStore(database.db);
  const runGuard: ActiveRunGuard = { hasActiveRun: () => Promise.resolve(false) };
  const cards = new CardService(cardStore, runGuard);
  if (config.seedSamples) {
    const seeded = await seedSamples(cardStore);
    if (seeded > 0) logger.info({ cards: seeded }, 'inserted sample prompt cards');
  }

  let shuttingDown = false;
  const app = buildApp({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    cards,
    isShuttingDown: () => shuttingDown,
  });
  const server = createServer(app);
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
      await drain(server, config.shutdownTimeoutMs, logger);
      await database.close();
    })();
    return closing;
  };
  return { url, port, server, database, close };
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
