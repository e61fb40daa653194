/**
 * Process entry: config → tracing → (only then) the application modules → server; graceful
 * shutdown on SIGTERM/SIGINT. The server module is imported after tracing starts so that
 * OpenTelemetry's instrumentation patches http, undici, pg and ioredis as they load.
 * Exit codes: 0 after a clean shutdown, 1 when start-up fails, 2 for bad configuration
 * (including an encryption key that does not match the stored data).
 */
import { configureProcess } from './configure-process.js';
import { createLogger, flushLogger, type Logger } from './telemetry/logging/index.js';

/**
 * Ends the process: the log is flushed without blocking (see flushLogger), so a stdout whose
 * reader went away cannot hold the exit.
 */
function exitAfterFlush(logger: Logger, code: number): void {
  void flushLogger(logger, 1000).then(() => process.exit(code));
}

async function main(): Promise<void> {
  // A broken stdout or stderr pipe must never end (or hang) the service; the log just stops.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const { config, tracing } = await configureProcess();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const { startServer } = await import('./server.js');
  const running = await startServer(config, { logger });
  logger.info(
    { url: running.url, database: running.database.kind, tracing: tracing !== undefined },
    `Prompt Card System listening on ${running.url}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever hangs (a request, a database, a sink), the process ends after the drain and the
    // deadline, with 1 s to flush the log.
    const deadlineMs = config.shutdownDrainMs + config.shutdownTimeoutMs + 1000;
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown did not finish in time; exiting');
      exitAfterFlush(logger, 1);
    }, deadlineMs).unref();
    running
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          logger.info('shutdown complete');
          exitAfterFlush(logger, 0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          exitAfterFlush(logger, 1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** A listen failure says all in its message; anything else keeps its stack for the report. */
function startupReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'ListenError' ? error.message : (error.stack ?? error.message);
}

main().catch((error: unknown) => {
  // Errors that carry exitCode 2 (a wrong encryption key) are configuration, like a bad variable.
  const configuration =
    error instanceof Error &&
    'exitCode' in error &&
    (error as { exitCode: unknown }).exitCode === 2;
  process.stderr.write(
    configuration
      ? `Invalid configuration:\n  ${(error as Error).message}\n`
      : `Start-up failed: ${startupReason(error)}\n`,
  );
  process.exit(configuration ? 2 : 1);
});
