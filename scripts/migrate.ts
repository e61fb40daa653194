/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (from the environment or
 * .env) and exits; what every process also does at start-up, for migrating ahead of a rollout.
 */
import { loadConfig } from '../src/config.js';
import { connectDatabase, migrateToLatest } from '../src/db/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await connectDatabase(config.databaseUrl, {
    timeoutMs: config.databaseTimeoutMs,
  });
  try {
    const applied = await migrateToLatest(database.db);
    process.stdout.write(
      applied.length === 0 ? 'Already up to date\n' : `Applied ${applied.join(', ')}\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
