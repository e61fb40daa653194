/**
 * The topology contract on the scaled-out setup: an API that only accepts and enqueues
 * (RUN_EXECUTION=api, RUN_QUEUE=redis) and two workers, on PostgreSQL and Redis. The workers
 * start after the run is created (and its card changed), as a queue backlog meets new workers.
 */
import { parseConfig } from '../../../src/config.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { startWorker, type RunningWorker } from '../../../src/worker-server.js';
import { throwawaySchema } from '../../support/postgres-schema.js';
import { POSTGRES_URL } from '../../support/system.js';
import { defineTopologyContract } from './contract.js';
import { httpDriver } from './drivers.js';
import { dumpSchema } from './pg-dump.js';

const schema = throwawaySchema();

defineTopologyContract('API and two workers', {
  async start({ env, logger }) {
    const shared = { ...env, DATABASE_URL: POSTGRES_URL, RUN_QUEUE: 'redis' };
    const api: RunningServer = await startServer(parseConfig({ ...shared, RUN_EXECUTION: 'api' }), {
      logger,
      postgresSchema: schema,
    });
    const workers: RunningWorker[] = [];
    return {
      driver: httpDriver(() => api.url),
      url: () => api.url,
      execute: async () => {
        while (workers.length < 2)
          workers.push(
            await startWorker(parseConfig(shared), {
              logger,
              postgresSchema: schema,
              heartbeatMs: 100,
            }),
          );
      },
      db: () => api.database.db,
      raw: () => dumpSchema(schema),
      close: async () => {
        for (const worker of workers) await worker.close();
        await api.close();
      },
    };
  },
});
