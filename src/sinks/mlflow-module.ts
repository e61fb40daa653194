/**
 * MLflow tracking (MLFLOW_TRACKING_URI): every finished run becomes an MLflow run with its
 * results, from whichever process finished it; its health check; pending runs sent at close.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { MlflowClient } from './mlflow-client.js';
import { MlflowTracker } from './mlflow-tracker.js';
import { mlflowCheck } from './sink-check.js';

export const mlflowModule: ModuleDefinition = {
  name: 'mlflow',
  create({ config, shared, services }) {
    if (config.mlflow === undefined) return {};
    const client = new MlflowClient(config.mlflow.trackingUri, config.mlflow.token);
    const tracker = new MlflowTracker(client, shared.sinkMeters, shared.logger, {
      maxQueuedRuns: config.mlflow.maxQueuedRuns,
      maxAttempts: config.mlflow.maxAttempts,
      backoff: config.sinkRetry,
      // Every result, read by key a chunk at a time (OFFSET pages made this quadratic).
      results: (runId) => shared.runs.iterateResults(runId, { limit: Number.MAX_SAFE_INTEGER }),
    });
    services.mlflow = tracker;
    return {
      observers: [tracker.observer()],
      checks: [mlflowCheck((signal) => client.ping(signal))],
      close: () => tracker.close(),
    };
  },
};
