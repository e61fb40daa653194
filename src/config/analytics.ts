/** Advanced analytics: metric sampling, retention, anomaly detection, capacity limits. */
import { z } from 'zod';
import { bool, defineSlice, httpUrl, numberList, positiveInt, variable } from './variable.js';

const positive = () => z.coerce.number({ error: 'must be a number' }).positive('must be positive');
const ratio = (message: string) =>
  z.coerce.number({ error: 'must be a number' }).min(0, message).max(1, message);

export const analytics = defineSlice({
  title: 'Analytics',
  env: {
    ENABLE_ADVANCED_ANALYTICS: variable(bool(), {
      default: 'true',
      description: 'Sample metrics into the database; forecasts and anomaly detection.',
    }),
    PROMETHEUS_URL: variable(httpUrl(), {
      description:
        'Prometheus HTTP API (`http://127.0.0.1:9090`); when set, the analytics API reads any PromQL series (`query=`).',
    }),
    ANALYTICS_SAMPLE_INTERVAL_SECONDS: variable(positiveInt(), {
      default: '15',
      description: 'How often the analytics sampler records its series.',
    }),
    ANALYTICS_RAW_RETENTION_HOURS: variable(positiveInt(), {
      default: '24',
      description: 'How long raw samples are kept.',
    }),
    ANALYTICS_ROLLUP_RETENTION_DAYS: variable(positiveInt(), {
      default: '30',
      description: 'How long one-minute roll-ups (and anomalies) are kept.',
    }),
    ANALYTICS_ANOMALY_THRESHOLD: variable(
      z.coerce
        .number({ error: 'must be a number' })
        .gt(0, 'must be between 0 and 1')
        .max(1, 'must be between 0 and 1'),
      {
        default: '0.995',
        description:
          'Anomaly score at or above which a point is an anomaly (0.995: 1 point in 200 deviates this much).',
      },
    ),
    ANALYTICS_SEVERITY_THRESHOLDS: variable(
      numberList().refine(
        (levels) =>
          levels.length === 4 &&
          levels.every((v, i) => v > 0 && v <= 1 && (i === 0 || v > (levels[i - 1] ?? 0))),
        { message: 'must be four increasing scores in (0, 1] for low,medium,high,critical' },
      ),
      {
        default: '0.99,0.995,0.999,0.9997',
        description: 'Scores of the severities low, medium, high, critical.',
      },
    ),
    ANALYTICS_MEMORY_LIMIT_BYTES: variable(positiveInt(), {
      defaultNote: '90 % of system memory',
      description: 'Capacity limit of `process_rss_bytes`.',
    }),
    ANALYTICS_DATABASE_SIZE_LIMIT_BYTES: variable(positiveInt(), {
      description: 'Capacity limit of `database_size_bytes`; unset: forecast only.',
    }),
    ANALYTICS_DISK_FREE_MIN_RATIO: variable(ratio('must be between 0 and 1'), {
      default: '0.05',
      description: 'Capacity limit of the free share of the database’s disk.',
    }),
    ANALYTICS_DAILY_BUDGET_USD: variable(positive(), {
      description: 'Capacity limit of `cost_usd_per_day`; unset: forecast only.',
    }),
    ANALYTICS_HOURLY_TOKEN_BUDGET: variable(positive(), {
      description: 'Capacity limit of `token_spend_per_hour`; unset: forecast only.',
    }),
  },
  config: (e) => ({
    analytics: {
      /** ENABLE_ADVANCED_ANALYTICS. */
      enabled: e.ENABLE_ADVANCED_ANALYTICS,
      prometheusUrl: e.PROMETHEUS_URL,
      sampleIntervalMs: e.ANALYTICS_SAMPLE_INTERVAL_SECONDS * 1000,
      rawRetentionMs: e.ANALYTICS_RAW_RETENTION_HOURS * 3_600_000,
      rollupRetentionMs: e.ANALYTICS_ROLLUP_RETENTION_DAYS * 86_400_000,
      anomalyThreshold: e.ANALYTICS_ANOMALY_THRESHOLD,
      severities: {
        low: e.ANALYTICS_SEVERITY_THRESHOLDS[0] ?? 0.99,
        medium: e.ANALYTICS_SEVERITY_THRESHOLDS[1] ?? 0.995,
        high: e.ANALYTICS_SEVERITY_THRESHOLDS[2] ?? 0.999,
        critical: e.ANALYTICS_SEVERITY_THRESHOLDS[3] ?? 0.9997,
      },
      limits: {
        memoryBytes: e.ANALYTICS_MEMORY_LIMIT_BYTES,
        databaseSizeBytes: e.ANALYTICS_DATABASE_SIZE_LIMIT_BYTES,
        diskFreeMinRatio: e.ANALYTICS_DISK_FREE_MIN_RATIO,
        dailyBudgetUsd: e.ANALYTICS_DAILY_BUDGET_USD,
        hourlyTokenBudget: e.ANALYTICS_HOURLY_TOKEN_BUDGET,
      },
    },
  }),
});
