/**
 * Process entry: config → logger → server; graceful shutdown on SIGTERM/SIGINT.
 * Exit codes: 0 after a clean shutdown, 1 when start-up fails, 2 for bad configuration.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { startServer } from './server.js';
import { createLogger } from './telemetry/logging/index.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const running = await startServer(config, { logger });
  logger.info(
    { url: running.url, database: running.database.kind },
    `Prompt Card System listening on ${running.url}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(
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
    `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
