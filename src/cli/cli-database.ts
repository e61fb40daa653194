/**
 * The database of a command-line tool: the service's configuration (environment and `.env`),
 * the same connection and migrations as the server. Exits 2 on bad configuration, as the
 * server does.
 */
import { ConfigError, loadConfig, type Config } from '../config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from '../db/index.js';

export function cliConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

export async function openCliDatabase(config: Config): Promise<DatabaseHandle> {
  const database = await connectDatabase(config.databaseUrl, {
    timeoutMs: config.databaseTimeoutMs,
    sqliteCacheSizeKib: config.sqliteCacheSizeKib,
  });
  await migrateToLatest(database.db);
  return database;
}
