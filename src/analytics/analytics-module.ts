/**
 * Advanced analytics (ENABLE_ADVANCED_ANALYTICS): sampling of the process's metrics, anomaly
 * alerts and forecasts, samples copied to InfluxDB when configured; its routes answer 404-style
 * "disabled" errors when off.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { samplePoints } from '../sinks/index.js';
import { AnalyticsService } from './analytics-service.js';
import { analyticsRoutes } from './analytics-routes.js';
import { AnalyticsStore } from './analytics-store.js';
import { PrometheusSource } from './prometheus-source.js';

export const analyticsModule: ModuleDefinition = {
  name: 'analytics',
  create({ config, shared, services }) {
    const { timeSeries, alerts } = services;
    const analytics =
      config.analytics.enabled && alerts !== undefined
        ? new AnalyticsService({
            store: new AnalyticsStore(
              shared.database.db,
              shared.database.kind,
              config.analytics.rawRetentionMs,
            ),
            config: config.analytics,
            metrics: shared.metrics,
            logger: shared.logger,
            dataDir: shared.dataDir,
            alerts: { store: alerts.store, dispatcher: alerts.dispatcher },
            ...(timeSeries === undefined
              ? {}
              : { onSample: (at, values) => timeSeries.write(samplePoints(at, values)) }),
            ...(config.analytics.prometheusUrl === undefined
              ? {}
              : { prometheus: new PrometheusSource(config.analytics.prometheusUrl) }),
          })
        : undefined;
    if (analytics !== undefined) services.analytics = analytics;
    return {
      routes: () =>
        Promise.resolve([
          analyticsRoutes(
            analytics,
            config.analytics.rollupRetentionMs,
            config.analytics.sampleIntervalMs,
          ),
        ]),
      start: async () => {
        await analytics?.start();
      },
      close: async () => {
        await analytics?.stop();
      },
    };
  },
};
