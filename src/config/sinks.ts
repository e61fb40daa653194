/** Data sinks: run events through the outbox (Kafka, Redis Streams), InfluxDB, MLflow. */
import { z } from 'zod';
import {
  bool,
  commaList,
  defineSlice,
  httpUrl,
  intBetween,
  positiveInt,
  text,
  variable,
  type ConfigProblem,
} from './variable.js';

export const sinks = defineSlice({
  title: 'Data sinks',
  env: {
    EVENT_SINK: variable(
      z.enum(['kafka', 'redis-stream'], { error: 'must be kafka or redis-stream' }),
      {
        description:
          'Where run events go through the outbox: `kafka` or `redis-stream`; unset: off.',
      },
    ),
    EVENT_SOURCE: variable(text(), {
      default: '/prompt-card-system',
      description: 'CloudEvents `source` of every event.',
    }),
    EVENT_OUTBOX_BATCH_SIZE: variable(intBetween(1, 10_000), {
      default: '100',
      description: 'Events per delivery to the sink.',
    }),
    EVENT_OUTBOX_POLL_INTERVAL_MS: variable(positiveInt(), {
      default: '1000',
      description: 'Idle polling of the outbox (commits wake it sooner).',
    }),
    EVENT_OUTBOX_RETENTION_SECONDS: variable(z.coerce.number().int().min(0), {
      default: '3600',
      description: 'Delivered outbox rows are pruned after this (0: at once).',
    }),
    SINK_RETRY_BASE_DELAY_MS: variable(positiveInt(), {
      default: '500',
      description: 'First retry delay of a failing sink, doubled per failure, full jitter.',
    }),
    SINK_RETRY_MAX_DELAY_MS: variable(positiveInt(), {
      default: '30000',
      description: 'The longest retry delay of a sink.',
    }),
    REDIS_STREAM_KEY: variable(text(), {
      default: 'promptcards:events',
      description: 'Stream of `EVENT_SINK=redis-stream` (on `REDIS_URL`).',
    }),
    REDIS_STREAM_MAX_LENGTH: variable(positiveInt(), {
      default: '1000000',
      description: 'Approximate stream length cap (`XADD MAXLEN ~`).',
    }),
    KAFKA_BROKERS: variable(
      commaList().refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), {
        message: 'must be comma-separated host:port pairs',
      }),
      { description: 'Comma-separated `host:port` brokers of `EVENT_SINK=kafka` (required then).' },
    ),
    KAFKA_TOPIC_PREFIX: variable(z.string(), {
      default: 'promptcards.',
      description: 'Events go to the topic `<prefix>run-events`.',
    }),
    KAFKA_CLIENT_ID: variable(text(), {
      default: 'prompt-card-system',
      description: 'Kafka client id.',
    }),
    KAFKA_SASL_MECHANISM: variable(
      z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], {
        error: 'must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512',
      }),
      { description: '`PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`; unset: no SASL.' },
    ),
    KAFKA_SASL_USERNAME: variable(z.string(), {
      description: 'SASL user (required with a mechanism).',
    }),
    KAFKA_SASL_PASSWORD: variable(z.string(), {
      secret: true,
      description: 'SASL password (required with a mechanism).',
    }),
    KAFKA_TLS: variable(bool(), { default: 'false', description: 'TLS to the brokers.' }),
    KAFKA_TLS_CA_FILE: variable(z.string(), {
      description: 'Extra CA (PEM file) trusted for the brokers.',
    }),
    KAFKA_PUBLISH_TIMEOUT_MS: variable(positiveInt(), {
      default: '10000',
      description: 'A publish not acknowledged by then fails and is retried later.',
    }),
    INFLUXDB_URL: variable(httpUrl(), {
      description: 'InfluxDB server; the time series sink is on when set.',
    }),
    INFLUXDB_TOKEN: variable(z.string(), {
      secret: true,
      description: 'InfluxDB 2 API token (then `INFLUXDB_ORG` and `INFLUXDB_BUCKET` are required).',
    }),
    INFLUXDB_ORG: variable(z.string(), { description: 'InfluxDB 2 organization.' }),
    INFLUXDB_BUCKET: variable(z.string(), { description: 'InfluxDB 2 bucket.' }),
    INFLUXDB_DATABASE: variable(z.string(), {
      description: 'InfluxDB 1.x database (required without a token).',
    }),
    INFLUXDB_USERNAME: variable(z.string(), { description: 'InfluxDB 1.x user (basic auth).' }),
    INFLUXDB_PASSWORD: variable(z.string(), {
      secret: true,
      description: 'InfluxDB 1.x password.',
    }),
    INFLUXDB_BATCH_SIZE: variable(intBetween(1, 50_000), {
      default: '500',
      description: 'Points per write.',
    }),
    INFLUXDB_FLUSH_INTERVAL_MS: variable(positiveInt(), {
      default: '1000',
      description: 'How often buffered points are written.',
    }),
    INFLUXDB_MAX_BUFFERED_POINTS: variable(positiveInt(), {
      default: '10000',
      description: 'Buffer bound; beyond it the oldest points are dropped and counted.',
    }),
    MLFLOW_TRACKING_URI: variable(httpUrl(), {
      description: 'MLflow tracking server; finished runs are exported when set.',
    }),
    MLFLOW_TRACKING_TOKEN: variable(z.string(), {
      secret: true,
      description: 'Bearer token for MLflow.',
    }),
    MLFLOW_MAX_QUEUED_RUNS: variable(positiveInt(), {
      default: '1000',
      description: 'Exports waiting for MLflow; beyond it runs are not exported (counted).',
    }),
    MLFLOW_MAX_ATTEMPTS: variable(intBetween(1, 100), {
      default: '8',
      description: 'Attempts per export before it is given up (counted).',
    }),
  },
  config: (e) => ({
    events: {
      /** Where the outbox relays run events; undefined: no outbox, no events. */
      sink: e.EVENT_SINK,
      source: e.EVENT_SOURCE,
      batchSize: e.EVENT_OUTBOX_BATCH_SIZE,
      pollIntervalMs: e.EVENT_OUTBOX_POLL_INTERVAL_MS,
      retentionMs: e.EVENT_OUTBOX_RETENTION_SECONDS * 1000,
      redisStream: { key: e.REDIS_STREAM_KEY, maxLength: e.REDIS_STREAM_MAX_LENGTH },
      kafka: {
        brokers: e.KAFKA_BROKERS ?? [],
        /** `<KAFKA_TOPIC_PREFIX>run-events`. */
        topic: `${e.KAFKA_TOPIC_PREFIX}run-events`,
        clientId: e.KAFKA_CLIENT_ID,
        sasl:
          e.KAFKA_SASL_MECHANISM === undefined
            ? undefined
            : {
                mechanism: e.KAFKA_SASL_MECHANISM,
                username: e.KAFKA_SASL_USERNAME ?? '',
                password: e.KAFKA_SASL_PASSWORD ?? '',
              },
        tls: e.KAFKA_TLS ? { caFile: e.KAFKA_TLS_CA_FILE } : undefined,
        publishTimeoutMs: e.KAFKA_PUBLISH_TIMEOUT_MS,
      },
    },
    /** The InfluxDB time series sink; undefined when INFLUXDB_URL is unset. */
    influxdb:
      e.INFLUXDB_URL === undefined
        ? undefined
        : {
            url: e.INFLUXDB_URL,
            target:
              e.INFLUXDB_TOKEN !== undefined
                ? {
                    version: 2 as const,
                    token: e.INFLUXDB_TOKEN,
                    org: e.INFLUXDB_ORG ?? '',
                    bucket: e.INFLUXDB_BUCKET ?? '',
                  }
                : {
                    version: 1 as const,
                    database: e.INFLUXDB_DATABASE ?? '',
                    username: e.INFLUXDB_USERNAME,
                    password: e.INFLUXDB_PASSWORD,
                  },
            batchSize: e.INFLUXDB_BATCH_SIZE,
            flushIntervalMs: e.INFLUXDB_FLUSH_INTERVAL_MS,
            maxBufferedPoints: e.INFLUXDB_MAX_BUFFERED_POINTS,
          },
    /** MLflow tracking of finished runs; undefined when MLFLOW_TRACKING_URI is unset. */
    mlflow:
      e.MLFLOW_TRACKING_URI === undefined
        ? undefined
        : {
            trackingUri: e.MLFLOW_TRACKING_URI,
            token: e.MLFLOW_TRACKING_TOKEN,
            maxQueuedRuns: e.MLFLOW_MAX_QUEUED_RUNS,
            maxAttempts: e.MLFLOW_MAX_ATTEMPTS,
          },
    /** Retry backoff of every sink. */
    sinkRetry: { baseDelayMs: e.SINK_RETRY_BASE_DELAY_MS, maxDelayMs: e.SINK_RETRY_MAX_DELAY_MS },
  }),
  problems: (e) => {
    const problems: ConfigProblem[] = [];
    if (e.EVENT_SINK === 'kafka' && (e.KAFKA_BROKERS ?? []).length === 0)
      problems.push({ variable: 'KAFKA_BROKERS', message: 'is required when EVENT_SINK=kafka' });
    if (e.INFLUXDB_URL !== undefined) {
      if (e.INFLUXDB_TOKEN !== undefined) {
        for (const variable of ['INFLUXDB_ORG', 'INFLUXDB_BUCKET'] as const)
          if (e[variable] === undefined)
            problems.push({ variable, message: 'is required with INFLUXDB_TOKEN (InfluxDB 2)' });
      } else if (e.INFLUXDB_DATABASE === undefined) {
        problems.push({
          variable: 'INFLUXDB_DATABASE',
          message: 'is required with INFLUXDB_URL unless INFLUXDB_TOKEN is set (InfluxDB 1.x)',
        });
      }
    }
    if (e.KAFKA_SASL_MECHANISM !== undefined) {
      for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const)
        if (e[variable] === undefined)
          problems.push({ variable, message: 'is required with KAFKA_SASL_MECHANISM' });
    }
    return problems;
  },
});
