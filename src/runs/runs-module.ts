/**
 * Runs: the run machinery of the process (run-runtime.ts) with every run observer the modules
 * before it contribute plus the run metrics, the queue gauges, recovery at start, the run
 * routes in the API. Executes runs in the worker and CLI, and in the API unless
 * RUN_EXECUTION=api.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { runMetricsObserver } from './run-metrics.js';
import { startRunRuntime } from './run-runtime.js';

export const runsModule: ModuleDefinition = {
  name: 'runs',
  async create({ config, role, shared, services, options, observers }) {
    const { metrics, collector } = shared;
    const runtime = await startRunRuntime(config, {
      db: shared.database.db,
      runs: shared.runs,
      cards: shared.cards,
      versions: shared.versions,
      models: shared.models,
      logger: shared.logger,
      executes: role !== 'api' || config.runs.execution !== 'api',
      // A worker serves no live progress: it does not hear every other worker's results.
      relaysEvents: role !== 'worker',
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      onTakeover: () => collector?.safely('run_metrics', () => metrics?.runLeaseTakeovers.inc()),
      onCacheLookup: (hit) =>
        collector?.safely('run_metrics', () =>
          metrics?.answerCacheRequests.inc({ outcome: hit ? 'hit' : 'miss' }),
        ),
      onJob: (outcome) =>
        collector?.safely('run_metrics', () => metrics?.runQueueJobs.inc({ outcome })),
      observers: [
        ...(collector === undefined ? [] : [runMetricsObserver(collector)]),
        ...observers(),
        ...(options.runObservers ?? []),
      ],
    });
    services.runtime = runtime;
    if (metrics !== undefined) {
      metrics.queueBacklog = () => runtime.backlog();
      metrics.activeLeases = () => runtime.leases.activeCount();
    }
    const alerts = services.alerts;
    // Route code loads while the process composes (not once it serves), and only in the API.
    const http =
      role === 'api'
        ? { ...(await import('./run-routes.js')), ...(await import('./compare/run-comparer.js')) }
        : undefined;
    return {
      start: async () => {
        await runtime.engine.recover();
      },
      close: (deadlineMs) => runtime.close(deadlineMs),
      routes: ({ recordChange }) => {
        if (http === undefined) return Promise.resolve([]);
        const { runRoutes, RunComparer } = http;
        return Promise.resolve([
          runRoutes({
            engine: runtime.engine,
            runs: shared.runs,
            cards: shared.cards,
            models: shared.models,
            maxConcurrency: config.runs.maxConcurrency,
            defaultConcurrency: config.runs.defaultConcurrency,
            record: recordChange,
            compareAlpha: config.runs.compareAlpha,
            comparer: new RunComparer(shared.runs, alerts?.regressions),
          }),
        ]);
      },
    };
  },
};
