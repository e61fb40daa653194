/**
 * Every registered module is started by every entry whose role the registry names (the API
 * server, a worker, the CLI's embedded engine), and a module that observes runs (sinks,
 * alerts, metrics) is registered for every role: a run must behave alike wherever it executes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEmbeddedEngine } from '../../../src/cli/embedded-engine.js';
import { compose } from '../../../src/compose/compose.js';
import { ROLES, type Role } from '../../../src/compose/module.js';
import { MODULES } from '../../../src/compose/registry.js';
import { parseConfig } from '../../../src/config.js';
import { createProviders } from '../../../src/providers/index.js';
import { startServer } from '../../../src/server.js';
import { silentLogger } from '../../../src/telemetry/logging/index.js';
import { startWorker } from '../../../src/worker-server.js';
import { startMlflowServer, type MlflowServer } from '../../support/mlflow-server.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { POSTGRES_URL } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';

const schema = throwawaySchema();
const prefix = throwawayRedisPrefix();

describe('registered modules', () => {
  let skip: string | undefined;
  let mlflow: MlflowServer;
  const dir = tempDir('pcs-modules-');
  const registered = new Map<string, readonly Role[]>();
  const env = () => ({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    WORKER_PORT: '0',
    SEED_SAMPLES: 'false',
    REDIS_URL,
    RUN_QUEUE_PREFIX: prefix,
    MLFLOW_TRACKING_URI: mlflow.url,
    INFLUXDB_URL: 'http://127.0.0.1:9',
    INFLUXDB_DATABASE: 'unused',
  });

  before(async () => {
    skip = (await requirePostgres()) ?? (await requireRedis());
    mlflow = await startMlflowServer();
    for (const entry of MODULES) registered.set((await entry.load()).name, entry.roles);
  });
  after(async () => {
    await mlflow.close();
    dir.remove();
  });

  const expected = (role: Role) =>
    [...registered].filter(([, r]) => r.includes(role)).map(([n]) => n);

  it('are each started by every entry of their roles', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const api = await startServer(
      parseConfig({ ...env(), DATABASE_URL: `sqlite:${join(dir.path, 'api.db')}` }),
      { logger: silentLogger() },
    );
    const apiModules = api.modules;
    await api.close();
    const worker = await startWorker(
      parseConfig({ ...env(), DATABASE_URL: POSTGRES_URL, RUN_QUEUE: 'redis' }),
      { logger: silentLogger(), postgresSchema: schema },
    );
    const workerModules = worker.modules;
    await worker.close();
    const config = parseConfig(env());
    const cli = await openEmbeddedEngine(
      config,
      createProviders(config.providers),
      `sqlite:${join(dir.path, 'cli.db')}`,
    );
    const cliModules = cli.modules;
    await cli.close();
    assert.deepEqual(apiModules, expected('api'));
    assert.deepEqual(workerModules, expected('worker'));
    assert.deepEqual(cliModules, expected('cli'));
  });

  it('that observe runs are registered for every role', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const composition = await compose(
      parseConfig({ ...env(), DATABASE_URL: `sqlite:${join(dir.path, 'observers.db')}` }),
      'api',
      { logger: silentLogger() },
    );
    try {
      const observing = composition.modules.filter((m) => (m.module.observers ?? []).length > 0);
      assert.deepEqual(
        observing.map((m) => m.name),
        ['time-series', 'mlflow', 'alerting'],
      );
      for (const { name } of observing)
        assert.deepEqual(registered.get(name), ROLES, `${name} is not started by every entry`);
    } finally {
      await composition.close(0);
    }
  });
});
