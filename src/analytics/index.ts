export { AnalyticsService, ANOMALY_ALERT, type SeriesSpec } from './analytics-service.js';
export { AnalyticsStore, type Point, type StoredAnomaly } from './analytics-store.js';
export { analyticsRoutes } from './analytics-routes.js';
export { PrometheusSource } from './prometheus-source.js';
export { StreamingAnomalyDetector } from './anomaly-detector.js';
export { forecastSeries } from './forecaster.js';
export { planCapacity } from './capacity.js';
export { analyticsRouteDocs } from './analytics-route-docs.js';
