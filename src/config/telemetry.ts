/** Logs, metrics, health checks and the ports of the monitoring stack. */
import { z } from 'zod';
import { bool, defineSlice, numberList, port, positiveInt, variable } from './variable.js';

export const telemetry = defineSlice({
  title: 'Logs, metrics and health',
  env: {
    LOG_LEVEL: variable(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be fatal, error, warn, info, debug, trace or silent',
      }),
      { default: 'info', description: 'pino level: `fatal` … `trace`, or `silent`.' },
    ),
    LOG_FORMAT: variable(z.enum(['json', 'ecs'], { error: 'must be json or ecs' }), {
      default: 'json',
      description: '`json` (pino) or `ecs` (Elastic Common Schema, for Filebeat → Elasticsearch).',
    }),
    ENABLE_MONITORING: variable(bool(), {
      default: 'true',
      description: 'Serve `/api/metrics` and record HTTP metrics.',
    }),
    METRICS_TOKEN: variable(z.string(), {
      secret: true,
      description:
        'Bearer token Prometheus must send to `/api/metrics` (401 without it); unset: no token needed.',
    }),
    METRICS_MAX_SERIES: variable(positiveInt(), {
      default: '1000',
      description:
        'Distinct label sets per metric before user-sourced labels fold into `__overflow__`.',
    }),
    HTTP_DURATION_BUCKETS: variable(
      numberList().refine(
        (buckets) =>
          buckets.length > 0 &&
          buckets.every(
            (b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > (buckets[i - 1] ?? 0)),
          ),
        { message: 'must be increasing positive numbers of seconds, comma-separated' },
      ),
      {
        default: '0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10',
        description: 'Buckets of `http_request_duration_seconds`, in seconds.',
      },
    ),
    HEALTH_CHECK_TIMEOUT_MS: variable(positiveInt(), {
      default: '2000',
      description: 'Deadline of one health check.',
    }),
    HEALTH_CACHE_TTL_MS: variable(z.coerce.number().int().min(0), {
      default: '2000',
      description: 'How long a health check result is reused by later probes.',
    }),
    HEALTH_EVENT_LOOP_WARN_MS: variable(z.coerce.number().positive(), {
      default: '100',
      description:
        'Event-loop delay p99 (ms, since the previous check) above which the `event_loop` check warns (the service reports degraded).',
    }),
    HEALTH_EVENT_LOOP_FAIL_MS: variable(z.coerce.number().positive(), {
      default: '500',
      description:
        'Event-loop delay p99 (ms) above which the `event_loop` check fails (not critical: still ready).',
    }),
    PROMETHEUS_PORT: variable(port(), {
      default: '9090',
      description: 'Prometheus port of the monitoring stack (`docker-compose.monitoring.yml`).',
    }),
    GRAFANA_PORT: variable(port(), {
      default: '3000',
      description: 'Grafana port of the monitoring stack.',
    }),
    JAEGER_PORT: variable(port(), {
      default: '16686',
      description: 'Jaeger UI port of the monitoring stack (not used for export).',
    }),
    INFLUXDB_PORT: variable(port(), {
      default: '8086',
      description: 'InfluxDB port of the monitoring stack.',
    }),
  },
  config: (e) => ({
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    monitoring: {
      enabled: e.ENABLE_MONITORING,
      prometheusPort: e.PROMETHEUS_PORT,
      grafanaPort: e.GRAFANA_PORT,
      jaegerPort: e.JAEGER_PORT,
      influxdbPort: e.INFLUXDB_PORT,
      metricsToken: e.METRICS_TOKEN,
      maxSeriesPerMetric: e.METRICS_MAX_SERIES,
      httpBuckets: e.HTTP_DURATION_BUCKETS,
    },
    health: {
      checkTimeoutMs: e.HEALTH_CHECK_TIMEOUT_MS,
      cacheTtlMs: e.HEALTH_CACHE_TTL_MS,
      eventLoopWarnMs: e.HEALTH_EVENT_LOOP_WARN_MS,
      eventLoopFailMs: e.HEALTH_EVENT_LOOP_FAIL_MS,
    },
  }),
});
