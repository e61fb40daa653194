/**
 * Every environment variable the service reads, parsed once with zod into a typed `Config`.
 * Nothing else in the code base reads `process.env`: pass `Config` (or a part of it) instead.
 * `.env.example` and the README's configuration table list the same variables; a unit test
 * keeps the three in sync.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP, isIPv4 } from 'node:net';
import dotenv from 'dotenv';
import { z } from 'zod';
import { EXPECTED_OUTPUT_MATCHES, type ExpectedOutputMatch } from './assertions/expected-output.js';

/** The guide's sample secrets: copying them into production would publish the keys. */
export const PLACEHOLDER_SECRETS = [
  'your_secure_32_char_key_here',
  'your_blockchain_audit_secret',
  'your_secure_password',
] as const;

const bool = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'must be one of true, false, 1, 0, yes, no',
    })
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = (defaultValue: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(defaultValue);

const positiveInt = (defaultValue: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .positive('must be positive')
    .default(defaultValue);

const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** USD per one million tokens, by model id (`provider:model`). */
const modelPrice = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
});

const jsonPriceTable = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string(), modelPrice, {
      error: 'must map "provider:model" to {"input": USD/1M tokens, "output": USD/1M tokens}',
    }),
  );

const databaseUrl = z
  .string()
  .default('sqlite:./data/prompt-cards.db')
  .refine((url) => /^(sqlite:|postgres(ql)?:\/\/)/.test(url), {
    message: 'must start with sqlite: or postgres://',
  });

const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'must be development, production or test',
    })
    .default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(3001),
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  LOG_FORMAT: z.enum(['json', 'ecs'], { error: 'must be json or ecs' }).default('json'),
  BODY_LIMIT_BYTES: positiveInt(1_048_576),
  IMPORT_BODY_LIMIT_BYTES: positiveInt(67_108_864),
  SEED_SAMPLES: bool(true),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  SHUTDOWN_DRAIN_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must be at least 0')
    .default(5000),
  DATABASE_TIMEOUT_MS: positiveInt(5000),

  AUTH_MODE: z
    .enum(['none', 'api-key', 'proxy'], { error: 'must be none, api-key or proxy' })
    .default('none'),
  ALLOW_UNAUTHENTICATED: bool(false),
  TRUSTED_PROXY_CIDRS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .refine((cidrs) => cidrs.every(isCidr), {
      message: 'must be comma-separated addresses or CIDR ranges (10.0.0.0/8, ::1/128)',
    }),
  ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim().toLowerCase())
        .filter((part) => part !== ''),
    ),
  RATE_LIMIT_WRITES: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(300),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),

  ENABLE_MONITORING: bool(true),
  ENABLE_ADVANCED_ANALYTICS: bool(true),
  PROMETHEUS_PORT: port(9090),
  GRAFANA_PORT: port(3000),
  JAEGER_PORT: port(16686),
  INFLUXDB_PORT: port(8086),
  METRICS_TOKEN: optionalSecret,
  METRICS_MAX_SERIES: positiveInt(1000),
  HTTP_DURATION_BUCKETS: z
    .string()
    .default('0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10')
    .transform((text) => text.split(',').map((part) => Number(part.trim())))
    .refine(
      (buckets) =>
        buckets.length > 0 &&
        buckets.every(
          (b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > (buckets[i - 1] ?? 0)),
        ),
      {
        message: 'must be increasing positive numbers of seconds, comma-separated',
      },
    ),
  HEALTH_CHECK_TIMEOUT_MS: positiveInt(2000),
  HEALTH_CACHE_TTL_MS: z.coerce.number().int().min(0).default(2000),
  REDIS_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || /^rediss?:\/\//.test(url), {
      message: 'must be a redis:// or rediss:// URL',
    }),
  ALERT_WEBHOOK_TOKEN: optionalSecret,
  SLACK_WEBHOOK_URL: httpUrl().optional(),
  SMTP_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || /^smtps?:\/\//.test(url), {
      message: 'must be an smtp:// or smtps:// URL',
    }),
  ALERT_EMAIL_FROM: z.email({ error: 'must be an e-mail address' }).optional(),
  ALERT_EMAIL_TO: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    )
    .refine((list) => list.every((a) => z.email().safeParse(a).success), {
      message: 'must be comma-separated e-mail addresses',
    }),
  ALERT_WEBHOOK_URL: httpUrl().optional(),
  ALERT_WEBHOOK_SECRET: optionalSecret,
  METRICS_ENCRYPTION_KEY: optionalSecret,
  AUDIT_SECRET: optionalSecret,
  AUDIT_SECRET_PREVIOUS: optionalSecret,
  METRICS_ENCRYPTION_KEY_PREVIOUS: optionalSecret,
  GRAFANA_ADMIN_PASSWORD: optionalSecret,

  OLLAMA_BASE_URL: httpUrl().default('http://127.0.0.1:11434'),
  OPENAI_BASE_URL: httpUrl().optional(),
  OPENAI_API_KEY: optionalSecret,
  PROVIDER_TIMEOUT_MS: positiveInt(60_000),
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  PROVIDER_RETRY_BASE_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  PROVIDER_CALL_BUDGET_MS: z.coerce.number().int().min(1).max(3_600_000).optional(),
  MODEL_PRICES: jsonPriceTable,
  SIMULATED_SEED: z.coerce.number().int().default(42),
  SIMULATED_LATENCY_MS: z.coerce.number().nonnegative().default(120),
  SIMULATED_LATENCY_JITTER: z.coerce.number().min(0).max(10).default(0.3),
  SIMULATED_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.02),
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: bool(false),
  EMBEDDING_MODEL: z.string().min(1).default('simulated:embed'),
  GRADER_MODEL: z.string().min(1).default('simulated:grader'),
  RUN_DEFAULT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  RUN_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  EXPECTED_OUTPUT_MATCH: z.enum(EXPECTED_OUTPUT_MATCHES).default('trimmed'),
  RUN_LEASE_TTL_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
  RUN_CANCEL_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  RUN_QUEUE: z.enum(['memory', 'redis']).default('memory'),
  RUN_EXECUTION: z.enum(['api', 'worker', 'both']).default('both'),
  RUN_JOB_ITEMS: z.coerce.number().int().min(1).max(10_000).default(100),
  RUN_WORKER_JOBS: z.coerce.number().int().min(1).max(256).default(4),
  RUN_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1–64 letters, digits, "_", ":", "." or "-"')
    .default('pcs'),
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  CACHE_DEFAULT: bool(false),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(31_536_000).default(3600),
  RUN_COMPARE_ALPHA: z.coerce.number().gt(0).lt(0.5).default(0.05),

  PROMETHEUS_URL: httpUrl().optional(),
  ANALYTICS_SAMPLE_INTERVAL_SECONDS: positiveInt(15),
  ANALYTICS_RAW_RETENTION_HOURS: positiveInt(24),
  ANALYTICS_ROLLUP_RETENTION_DAYS: positiveInt(30),
  ANALYTICS_ANOMALY_THRESHOLD: z.coerce
    .number({ error: 'must be a number' })
    .gt(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(0.995),
  ANALYTICS_SEVERITY_THRESHOLDS: z
    .string()
    .default('0.99,0.995,0.999,0.9997')
    .transform((text) => text.split(',').map((part) => Number(part.trim())))
    .refine(
      (levels) =>
        levels.length === 4 &&
        levels.every((v, i) => v > 0 && v <= 1 && (i === 0 || v > (levels[i - 1] ?? 0))),
      { message: 'must be four increasing scores in (0, 1] for low,medium,high,critical' },
    ),
  ANALYTICS_MEMORY_LIMIT_BYTES: z.coerce.number().int().positive('must be positive').optional(),
  ANALYTICS_DATABASE_SIZE_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive('must be positive')
    .optional(),
  ANALYTICS_DISK_FREE_MIN_RATIO: z.coerce
    .number({ error: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(0.05),
  ANALYTICS_DAILY_BUDGET_USD: z.coerce.number().positive('must be positive').optional(),
  ANALYTICS_HOURLY_TOKEN_BUDGET: z.coerce.number().positive('must be positive').optional(),

  EVENT_SINK: z
    .enum(['kafka', 'redis-stream'], { error: 'must be kafka or redis-stream' })
    .optional(),
  EVENT_SOURCE: z.string().min(1).default('/prompt-card-system'),
  EVENT_OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  EVENT_OUTBOX_POLL_INTERVAL_MS: positiveInt(1000),
  EVENT_OUTBOX_RETENTION_SECONDS: z.coerce.number().int().min(0).default(3600),
  SINK_RETRY_BASE_DELAY_MS: positiveInt(500),
  SINK_RETRY_MAX_DELAY_MS: positiveInt(30_000),
  REDIS_STREAM_KEY: z.string().min(1).default('promptcards:events'),
  REDIS_STREAM_MAX_LENGTH: positiveInt(1_000_000),
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b !== ''),
    )
    .refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), {
      message: 'must be comma-separated host:port pairs',
    }),
  KAFKA_TOPIC_PREFIX: z.string().default('promptcards.'),
  KAFKA_CLIENT_ID: z.string().min(1).default('prompt-card-system'),
  KAFKA_SASL_MECHANISM: z
    .enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], {
      error: 'must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512',
    })
    .optional(),
  KAFKA_SASL_USERNAME: optionalSecret,
  KAFKA_SASL_PASSWORD: optionalSecret,
  KAFKA_TLS: bool(false),
  KAFKA_TLS_CA_FILE: z.string().optional(),
  KAFKA_PUBLISH_TIMEOUT_MS: positiveInt(10_000),
  INFLUXDB_URL: httpUrl().optional(),
  INFLUXDB_TOKEN: optionalSecret,
  INFLUXDB_ORG: z.string().optional(),
  INFLUXDB_BUCKET: z.string().optional(),
  INFLUXDB_DATABASE: z.string().optional(),
  INFLUXDB_USERNAME: z.string().optional(),
  INFLUXDB_PASSWORD: optionalSecret,
  INFLUXDB_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(500),
  INFLUXDB_FLUSH_INTERVAL_MS: positiveInt(1000),
  INFLUXDB_MAX_BUFFERED_POINTS: positiveInt(10_000),
  MLFLOW_TRACKING_URI: httpUrl().optional(),
  MLFLOW_TRACKING_TOKEN: optionalSecret,
  MLFLOW_MAX_QUEUED_RUNS: positiveInt(1000),
  MLFLOW_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
});

/**
 * Production-only checks on the secrets. They read the raw strings, so they are reported
 * together with any other bad variable rather than only after the rest parses.
 */
function productionProblems(env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: ConfigProblem[] = [];
  for (const variable of ['METRICS_ENCRYPTION_KEY', 'AUDIT_SECRET', 'GRAFANA_ADMIN_PASSWORD']) {
    const value = env[variable];
    if (value !== undefined && isPlaceholder(value)) {
      problems.push({
        variable,
        message: 'is the placeholder from the setup guide; set a real secret in production',
      });
    }
  }
  const audit = env.AUDIT_SECRET;
  if (audit !== undefined && !isPlaceholder(audit) && audit.length < 16) {
    problems.push({
      variable: 'AUDIT_SECRET',
      message: 'must be at least 16 characters in production',
    });
  }
  return problems;
}

/** Start-up refusals that depend on several variables together. */
function accessProblems(env: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (env.AUTH_MODE === 'none' && !isLoopbackHost(env.HOST) && !env.ALLOW_UNAUTHENTICATED) {
    problems.push({
      variable: 'AUTH_MODE',
      message: `is none while HOST=${env.HOST} is not a loopback address: set AUTH_MODE=api-key or proxy, or ALLOW_UNAUTHENTICATED=true on purpose`,
    });
  }
  if (env.AUTH_MODE === 'proxy' && env.TRUSTED_PROXY_CIDRS.length === 0) {
    problems.push({
      variable: 'TRUSTED_PROXY_CIDRS',
      message: 'must name the authenticating proxy when AUTH_MODE=proxy',
    });
  }
  if (env.NODE_ENV === 'production' && env.AUDIT_SECRET === undefined) {
    problems.push({ variable: 'AUDIT_SECRET', message: 'is required in production' });
  }
  for (const variable of ['METRICS_ENCRYPTION_KEY', 'METRICS_ENCRYPTION_KEY_PREVIOUS'] as const) {
    const key = env[variable];
    if (key !== undefined && !isPlaceholder(key) && !isValidEncryptionKey(key)) {
      problems.push({
        variable,
        message: 'must be 32 bytes: 32 characters, or 64 hexadecimal digits',
      });
    }
  }
  return problems;
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  return mapped !== undefined && mapped.startsWith('127.');
}

function isCidr(text: string): boolean {
  const [address, bits, ...rest] = text.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

function isPlaceholder(value: string): boolean {
  return (PLACEHOLDER_SECRETS as readonly string[]).includes(value);
}

/** A 256-bit key given either as 32 characters or as 64 hex digits. */
export function isValidEncryptionKey(key: string): boolean {
  return key.length === 32 || /^[0-9a-fA-F]{64}$/.test(key);
}

/** Cross-variable requirements: a chosen sink needs its connection. */
function sinkProblems(env: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (env.EVENT_SINK === 'redis-stream' && env.REDIS_URL === undefined)
    problems.push({ variable: 'REDIS_URL', message: 'is required when EVENT_SINK=redis-stream' });
  if (env.EVENT_SINK === 'kafka' && env.KAFKA_BROKERS.length === 0)
    problems.push({ variable: 'KAFKA_BROKERS', message: 'is required when EVENT_SINK=kafka' });
  if (env.INFLUXDB_URL !== undefined) {
    if (env.INFLUXDB_TOKEN !== undefined) {
      for (const variable of ['INFLUXDB_ORG', 'INFLUXDB_BUCKET'] as const)
        if (env[variable] === undefined)
          problems.push({ variable, message: 'is required with INFLUXDB_TOKEN (InfluxDB 2)' });
    } else if (env.INFLUXDB_DATABASE === undefined) {
      problems.push({
        variable: 'INFLUXDB_DATABASE',
        message: 'is required with INFLUXDB_URL unless INFLUXDB_TOKEN is set (InfluxDB 1.x)',
      });
    }
  }
  if (env.KAFKA_SASL_MECHANISM !== undefined) {
    for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const)
      if (env[variable] === undefined)
        problems.push({ variable, message: 'is required with KAFKA_SASL_MECHANISM' });
  }
  return problems;
}

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly nodeEnv: Env['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly logFormat: Env['LOG_FORMAT'];
  readonly bodyLimitBytes: number;
  /** Largest body of a bulk test-case import (JSON array, JSONL or CSV). */
  readonly importBodyLimitBytes: number;
  readonly seedSamples: boolean;
  readonly shutdownTimeoutMs: number;
  readonly access: {
    readonly authMode: Env['AUTH_MODE'];
    readonly trustedProxyCidrs: readonly string[];
    /** Host names (lower case, no port) the service answers to; empty: see `hostAllowed`. */
    readonly allowedHosts: readonly string[];
    /** Writes per client per window; 0 turns the limit off. */
    readonly rateLimitWrites: number;
    readonly rateLimitWindowMs: number;
  };
  /** SIGTERM → this long with `/ready` 503 while requests are still served, then close. */
  readonly shutdownDrainMs: number;
  /** PostgreSQL connect, statement and query-read timeout. */
  readonly databaseTimeoutMs: number;
  readonly monitoring: {
    readonly enabled: boolean;
    readonly advancedAnalytics: boolean;
    readonly prometheusPort: number;
    readonly grafanaPort: number;
    readonly jaegerPort: number;
    readonly influxdbPort: number;
    readonly metricsToken: string | undefined;
    readonly maxSeriesPerMetric: number;
    readonly httpBuckets: readonly number[];
  };
  readonly health: {
    readonly checkTimeoutMs: number;
    readonly cacheTtlMs: number;
  };
  readonly redisUrl: string | undefined;
  readonly alerting: {
    readonly webhookToken: string | undefined;
    readonly slackWebhookUrl: string | undefined;
    readonly smtpUrl: string | undefined;
    readonly emailFrom: string | undefined;
    readonly emailTo: readonly string[];
    readonly webhookUrl: string | undefined;
    readonly webhookSecret: string | undefined;
  };
  readonly secrets: {
    readonly metricsEncryptionKey: string | undefined;
    readonly metricsEncryptionKeyPrevious: string | undefined;
    readonly auditSecret: string | undefined;
    readonly auditSecretPrevious: string | undefined;
    readonly grafanaAdminPassword: string | undefined;
  };
  readonly providers: {
    readonly ollamaBaseUrl: string;
    readonly openaiBaseUrl: string | undefined;
    readonly openaiApiKey: string | undefined;
    readonly timeoutMs: number;
    readonly maxRetries: number;
    readonly retryBaseDelayMs: number;
    /** Wall time of one model call, retries and waits included; undefined: timeout × (retries + 1). */
    readonly callBudgetMs: number | undefined;
    readonly prices: Readonly<Record<string, { input: number; output: number }>>;
    readonly simulated: {
      readonly seed: number;
      readonly latencyMs: number;
      readonly latencyJitter: number;
      readonly failureRate: number;
    };
    readonly embeddingModel: string;
    readonly graderModel: string;
    readonly captureMessageContent: boolean;
  };
  readonly runs: {
    readonly defaultConcurrency: number;
    readonly maxConcurrency: number;
    readonly expectedOutputMatch: ExpectedOutputMatch;
    /** RUN_LEASE_TTL_MS: how long a run's lease lasts without a heartbeat. */
    readonly leaseTtlMs: number;
    /** RUN_CANCEL_WAIT_MS: how long a cancel waits for another process to stop the run. */
    readonly cancelWaitMs: number;
    /** RUN_QUEUE: `memory` (in process) or `redis` (BullMQ; needs REDIS_URL). */
    readonly queue: 'memory' | 'redis';
    /** RUN_EXECUTION: whether this process accepts runs (`api`), executes them (`worker`) or both. */
    readonly execution: 'api' | 'worker' | 'both';
    /** RUN_JOB_ITEMS: items per queue job (a run is sharded into jobs of this size). */
    readonly jobItems: number;
    /** RUN_WORKER_JOBS: queue jobs one process executes at once. */
    readonly workerJobs: number;
    /** RUN_QUEUE_PREFIX: prefix of the Redis keys and channels of the queue and event bus. */
    readonly queuePrefix: string;
    /** WORKER_PORT: the worker's probe and metrics port. */
    readonly workerPort: number;
    /** CACHE_DEFAULT: whether runs use the answer cache when they do not say. */
    readonly cacheDefault: boolean;
    /** CACHE_TTL_SECONDS, in milliseconds: how long a cached answer is kept. */
    readonly cacheTtlMs: number;
    /** Significance level of run comparisons (`?alpha=` overrides it per request). */
    readonly compareAlpha: number;
  };
  readonly events: {
    /** Where the outbox relays run events; undefined: no outbox, no events. */
    readonly sink: 'kafka' | 'redis-stream' | undefined;
    readonly source: string;
    readonly batchSize: number;
    readonly pollIntervalMs: number;
    readonly retentionMs: number;
    readonly redisStream: { readonly key: string; readonly maxLength: number };
    readonly kafka: {
      readonly brokers: readonly string[];
      /** `<KAFKA_TOPIC_PREFIX>run-events`. */
      readonly topic: string;
      readonly clientId: string;
      readonly sasl:
        | {
            readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
            readonly username: string;
            readonly password: string;
          }
        | undefined;
      readonly tls: { readonly caFile: string | undefined } | undefined;
      readonly publishTimeoutMs: number;
    };
  };
  /** The InfluxDB time series sink; undefined when INFLUXDB_URL is unset. */
  readonly influxdb:
    | {
        readonly url: string;
        readonly target:
          | {
              readonly version: 2;
              readonly token: string;
              readonly org: string;
              readonly bucket: string;
            }
          | {
              readonly version: 1;
              readonly database: string;
              readonly username: string | undefined;
              readonly password: string | undefined;
            };
        readonly batchSize: number;
        readonly flushIntervalMs: number;
        readonly maxBufferedPoints: number;
      }
    | undefined;
  /** MLflow tracking of finished runs; undefined when MLFLOW_TRACKING_URI is unset. */
  readonly mlflow:
    | {
        readonly trackingUri: string;
        readonly token: string | undefined;
        readonly maxQueuedRuns: number;
        readonly maxAttempts: number;
      }
    | undefined;
  /** Retry backoff of every sink. */
  readonly sinkRetry: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly analytics: {
    /** ENABLE_ADVANCED_ANALYTICS. */
    readonly enabled: boolean;
    readonly prometheusUrl: string | undefined;
    readonly sampleIntervalMs: number;
    readonly rawRetentionMs: number;
    readonly rollupRetentionMs: number;
    readonly anomalyThreshold: number;
    readonly severities: {
      readonly low: number;
      readonly medium: number;
      readonly high: number;
      readonly critical: number;
    };
    readonly limits: {
      readonly memoryBytes: number | undefined;
      readonly databaseSizeBytes: number | undefined;
      readonly diskFreeMinRatio: number;
      readonly dailyBudgetUsd: number | undefined;
      readonly hourlyTokenBudget: number | undefined;
    };
  };
}

/** Raised with every bad variable at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Variables that only work together. A signed webhook without its secret would otherwise be
 * silently off (or, worse, sent unsigned): start-up fails naming both variables instead.
 */
function pairProblems(env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  if (env.ALERT_WEBHOOK_URL !== undefined && env.ALERT_WEBHOOK_SECRET === undefined) {
    return [
      {
        variable: 'ALERT_WEBHOOK_SECRET',
        message: 'is required when ALERT_WEBHOOK_URL is set (deliveries are signed with it)',
      },
    ];
  }
  return [];
}

/** Parses an environment (pure: no file or process access) into a `Config`, or throws `ConfigError`. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // Empty strings mean "unset", as in most .env files and shells.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(cleaned);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => ({
          variable: issue.path.join('.') || '(environment)',
          message: issue.message,
        }))),
    ...productionProblems(cleaned),
    ...(result.success ? accessProblems(result.data) : []),
    ...(result.success ? sinkProblems(result.data) : []),
    ...(cleaned.RUN_QUEUE === 'redis' && cleaned.REDIS_URL === undefined
      ? [{ variable: 'RUN_QUEUE', message: 'redis needs REDIS_URL' }]
      : []),
    ...(cleaned.RUN_QUEUE !== 'redis' && cleaned.RUN_EXECUTION === 'api'
      ? [
          {
            variable: 'RUN_EXECUTION',
            message: 'api needs RUN_QUEUE=redis (workers execute the runs)',
          },
        ]
      : []),
    ...pairProblems(cleaned),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const e = result.data;
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
    seedSamples: e.SEED_SAMPLES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    access: {
      authMode: e.AUTH_MODE,
      trustedProxyCidrs: e.TRUSTED_PROXY_CIDRS,
      allowedHosts: e.ALLOWED_HOSTS,
      rateLimitWrites: e.RATE_LIMIT_WRITES,
      rateLimitWindowMs: e.RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    monitoring: {
      enabled: e.ENABLE_MONITORING,
      advancedAnalytics: e.ENABLE_ADVANCED_ANALYTICS,
      prometheusPort: e.PROMETHEUS_PORT,
      grafanaPort: e.GRAFANA_PORT,
      jaegerPort: e.JAEGER_PORT,
      influxdbPort: e.INFLUXDB_PORT,
      metricsToken: e.METRICS_TOKEN,
      maxSeriesPerMetric: e.METRICS_MAX_SERIES,
      httpBuckets: e.HTTP_DURATION_BUCKETS,
    },
    health: { checkTimeoutMs: e.HEALTH_CHECK_TIMEOUT_MS, cacheTtlMs: e.HEALTH_CACHE_TTL_MS },
    redisUrl: e.REDIS_URL,
    alerting: {
      webhookToken: e.ALERT_WEBHOOK_TOKEN,
      slackWebhookUrl: e.SLACK_WEBHOOK_URL,
      smtpUrl: e.SMTP_URL,
      emailFrom: e.ALERT_EMAIL_FROM,
      emailTo: e.ALERT_EMAIL_TO,
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookSecret: e.ALERT_WEBHOOK_SECRET,
    },
    secrets: {
      metricsEncryptionKey: e.METRICS_ENCRYPTION_KEY,
      metricsEncryptionKeyPrevious: e.METRICS_ENCRYPTION_KEY_PREVIOUS,
      auditSecret: e.AUDIT_SECRET,
      auditSecretPrevious: e.AUDIT_SECRET_PREVIOUS,
      grafanaAdminPassword: e.GRAFANA_ADMIN_PASSWORD,
    },
    providers: {
      ollamaBaseUrl: e.OLLAMA_BASE_URL,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      openaiApiKey: e.OPENAI_API_KEY,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
      maxRetries: e.PROVIDER_MAX_RETRIES,
      retryBaseDelayMs: e.PROVIDER_RETRY_BASE_DELAY_MS,
      callBudgetMs: e.PROVIDER_CALL_BUDGET_MS,
      prices: e.MODEL_PRICES,
      simulated: {
        seed: e.SIMULATED_SEED,
        latencyMs: e.SIMULATED_LATENCY_MS,
        latencyJitter: e.SIMULATED_LATENCY_JITTER,
        failureRate: e.SIMULATED_FAILURE_RATE,
      },
      embeddingModel: e.EMBEDDING_MODEL,
      graderModel: e.GRADER_MODEL,
      captureMessageContent: e.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
    },
    runs: {
      defaultConcurrency: e.RUN_DEFAULT_CONCURRENCY,
      maxConcurrency: e.RUN_MAX_CONCURRENCY,
      expectedOutputMatch: e.EXPECTED_OUTPUT_MATCH,
      leaseTtlMs: e.RUN_LEASE_TTL_MS,
      cancelWaitMs: e.RUN_CANCEL_WAIT_MS,
      queue: e.RUN_QUEUE,
      execution: e.RUN_EXECUTION,
      jobItems: e.RUN_JOB_ITEMS,
      workerJobs: e.RUN_WORKER_JOBS,
      queuePrefix: e.RUN_QUEUE_PREFIX,
      workerPort: e.WORKER_PORT,
      cacheDefault: e.CACHE_DEFAULT,
      cacheTtlMs: e.CACHE_TTL_SECONDS * 1000,
      compareAlpha: e.RUN_COMPARE_ALPHA,
    },
    events: {
      sink: e.EVENT_SINK,
      source: e.EVENT_SOURCE,
      batchSize: e.EVENT_OUTBOX_BATCH_SIZE,
      pollIntervalMs: e.EVENT_OUTBOX_POLL_INTERVAL_MS,
      retentionMs: e.EVENT_OUTBOX_RETENTION_SECONDS * 1000,
      redisStream: { key: e.REDIS_STREAM_KEY, maxLength: e.REDIS_STREAM_MAX_LENGTH },
      kafka: {
        brokers: e.KAFKA_BROKERS,
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
    influxdb:
      e.INFLUXDB_URL === undefined
        ? undefined
        : {
            url: e.INFLUXDB_URL,
            target:
              e.INFLUXDB_TOKEN !== undefined
                ? {
                    version: 2,
                    token: e.INFLUXDB_TOKEN,
                    org: e.INFLUXDB_ORG ?? '',
                    bucket: e.INFLUXDB_BUCKET ?? '',
                  }
                : {
                    version: 1,
                    database: e.INFLUXDB_DATABASE ?? '',
                    username: e.INFLUXDB_USERNAME,
                    password: e.INFLUXDB_PASSWORD,
                  },
            batchSize: e.INFLUXDB_BATCH_SIZE,
            flushIntervalMs: e.INFLUXDB_FLUSH_INTERVAL_MS,
            maxBufferedPoints: e.INFLUXDB_MAX_BUFFERED_POINTS,
          },
    mlflow:
      e.MLFLOW_TRACKING_URI === undefined
        ? undefined
        : {
            trackingUri: e.MLFLOW_TRACKING_URI,
            token: e.MLFLOW_TRACKING_TOKEN,
            maxQueuedRuns: e.MLFLOW_MAX_QUEUED_RUNS,
            maxAttempts: e.MLFLOW_MAX_ATTEMPTS,
          },
    sinkRetry: { baseDelayMs: e.SINK_RETRY_BASE_DELAY_MS, maxDelayMs: e.SINK_RETRY_MAX_DELAY_MS },
    analytics: {
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
  };
}

/** The variable names the schema knows, for the docs-sync test. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Reads `.env` (if present; real environment variables win over it) and parses the result.
 * The process environment is not modified.
 */
export function loadConfig(
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
  envFile = '.env',
): Config {
  return parseConfig(readEnvironment(processEnv, envFile));
}

/** The process environment over the optional `.env` file (the environment wins). */
export function readEnvironment(
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
  envFile = '.env',
): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? dotenv.parse(readFileSync(envFile)) : {};
  return { ...fromFile, ...processEnv };
}
