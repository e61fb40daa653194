export { Metrics, type MetricsOptions } from './metrics.js';
export { MetricsCollector } from './metrics-collector.js';
export {
  metricsMiddleware,
  recordMountPath,
  routeLabel,
  ROUTE_LABEL,
  setRouteResolver,
  UNMATCHED_ROUTE,
  type ExemplarSource,
  type RouteResolver,
} from './http-middleware.js';
export { metricsHandler } from './metrics-handler.js';
export {
  serialize,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from './serialize.js';
export { METRIC, DEFAULT_HTTP_BUCKETS } from './metric-names.js';
export { CardinalityGuard, OVERFLOW } from './cardinality-guard.js';
export { observeWithExemplar } from './observe.js';
