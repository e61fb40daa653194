/**
 * API replicas in the test process, sharing one PostgreSQL schema: what several instances of
 * the service behind one load balancer look like to the database. Each has its own port,
 * pool, lease owner id and in-process state.
 */
import { parseConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { silentLogger } from '../../src/telemetry/logging/index.js';
import { POSTGRES_URL } from './system.js';
import { request, type TestServer } from './test-server.js';

export async function startReplica(
  schema: string,
  env: Record<string, string> = {},
  heartbeatMs = 50,
): Promise<TestServer> {
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: POSTGRES_URL,
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'silent',
    // Replicas are restarted within a test: no drain period; suites write more than clients.
    SHUTDOWN_DRAIN_MS: '0',
    RATE_LIMIT_WRITES: '0',
    ...env,
  });
  const running = await startServer(config, {
    logger: silentLogger(),
    postgresSchema: schema,
    heartbeatMs,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await running.close();
  };
  return {
    running,
    url: running.url,
    config,
    dataDir: '',
    request: (method, path, body, headers) => request(running.url, method, path, body, headers),
    stop,
    dispose: stop,
  };
}
