/** A run worker in the test process, on a PostgreSQL schema and a Redis key prefix. */
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/telemetry/logging/index.js';
import { startWorker, type RunningWorker } from '../../src/worker-server.js';
import { POSTGRES_URL } from './system.js';

export async function startTestWorker(
  schema: string,
  env: Record<string, string>,
  heartbeatMs = 100,
): Promise<RunningWorker> {
  const config = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    WORKER_PORT: '0',
    DATABASE_URL: POSTGRES_URL,
    LOG_LEVEL: 'silent',
    RUN_QUEUE: 'redis',
    ...env,
  });
  return startWorker(config, { logger: silentLogger(), postgresSchema: schema, heartbeatMs });
}
