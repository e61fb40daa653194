/**
 * Worker entry (`npm run worker`): config → tracing → (only then) the application modules →
 * a worker executing run jobs from the shared queue; graceful shutdown on SIGTERM/SIGINT (jobs
 * in flight go back to the queue). The worker module is imported after tracing starts so that
 * OpenTelemetry's instrumentation patches http, undici, pg and ioredis as they load.
 * Exit codes: 0 after a clean shutdown, 1 when start-up fails, 2 for bad configuration.
 */
import { configureProcess } from './configure-process.js';
import { createLogger } from './telemetry/logging/index.js';

async function main(): Promise<void> {
  const { config, tracing } = await configureProcess();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const { startWorker } = await import('./worker-server.js');
  const running = await startWorker(config, { logger });
  logger.info(
    { url: running.url, database: running.database.kind, tracing: tracing !== undefined },
    `Prompt Card System worker listening on ${running.url}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          logger.info('shutdown complete');
          logger.flush();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          logger.flush();
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Start-up failed: ${error instanceof Error ? (error.name === 'ListenError' ? error.message : (error.stack ?? error.message)) : String(error)}\n`,
  );
  process.exit(1);
});
