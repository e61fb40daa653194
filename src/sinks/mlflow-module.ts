/**
 * MLflow tracking (MLFLOW_TRACKING_URI): every finished run becomes an MLflow run with its
 * results, from whichever process finished it; its health check; pending runs sent at close.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { MlflowClient } from './mlflow-client.js';
import { MlflowTracker } from './mlflow-tracker.js';
import { mlflowCheck } from './sink-check.js';

const PAGE = 500;

export const mlflowModule: ModuleDefinition = {
  name: 'mlflow',
  create({ config, shared, services }) {
    if (config.mlflow === undefined) return {};
    const client = new MlflowClient(config.mlflow.trackingUri, config.mlflow.token);
    const tracker = new MlflowTracker(client, shared.sinkMeters, shared.logger, {
      maxQueuedRuns: config.mlflow.maxQueuedRuns,
      maxAttempts: config.mlflow.maxAttempts,
      backoff: config.sinkRetry,
      results: async function* (runId) {
        for (let offset = 0; ; offset += PAGE) {
          const page = await shared.runs.listResults(runId, { limit: PAGE, offset });
          yield* page.items;
          if (offset + page.items.length >= page.total || page.items.length === 0) return;
        }
      },
    });
    services.mlflow = tracker;
    return {
      observers: [tracker.observer()],
      checks: [mlflowCheck((signal) => client.ping(signal))],
      close: () => tracker.close(),
    };
  },
};
