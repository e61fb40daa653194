/**
 * What every module of a process shares, built in one place for every role: the database
 * (migrated, its encryption key checked), the field cipher, the metrics registry, the model
 * client (with secret redaction), the card/version/run stores (the run store writing the event
 * outbox when EVENT_SINK is set). No entry and no module builds any of these itself.
 */
import { dirname } from 'node:path';
import { CardStore } from '../cards/index.js';
import { CardVersionStore } from '../cards/index.js';
import { PLACEHOLDER_SECRETS, type Config } from '../config.js';
import {
  checkEncryptionKey,
  connectDatabase,
  FieldCipher,
  migrateToLatest,
  type DatabaseHandle,
} from '../db/index.js';
import { createProviders } from '../providers/index.js';
import type { ModelClient } from '../providers/index.js';
import { modelClientFor } from '../providers/index.js';
import { modelCallMetrics } from '../providers/index.js';
import type { Provider } from '../providers/index.js';
import { RunStore } from '../runs/index.js';
import { createEventRelay, type EventRelay } from '../sinks/index.js';
import type { EventSink } from '../sinks/index.js';
import { sinkMetrics, type SinkMetrics } from '../sinks/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { Metrics, MetricsCollector } from '../telemetry/metrics/index.js';

export interface SharedOptions {
  readonly logger: Logger;
  /** PostgreSQL only: a schema to create and use (test isolation). */
  readonly postgresSchema?: string;
  /** Replaces the providers the configuration would create (CLI suites, benchmarks, tests). */
  readonly providers?: readonly Provider[];
  /** Replaces the event sink EVENT_SINK would create (tests). */
  readonly eventSink?: EventSink;
  /** Secrets besides the configured ones to redact from provider text (a CLI suite's keys). */
  readonly secrets?: readonly string[];
}

export interface Shared {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  /** The folder of the SQLite file, else the working directory (disk check, analytics data). */
  readonly dataDir: string;
  readonly cipher: FieldCipher;
  /** Undefined when ENABLE_MONITORING=false. */
  readonly metrics: Metrics | undefined;
  readonly collector: MetricsCollector | undefined;
  readonly sinkMeters: SinkMetrics;
  readonly providers: readonly Provider[];
  readonly models: ModelClient;
  readonly cards: CardStore;
  readonly versions: CardVersionStore;
  readonly runs: RunStore;
  /** Undefined unless EVENT_SINK names a sink; the events module starts and closes it. */
  readonly eventRelay: EventRelay | undefined;
  /** Uninstalls the collector and closes the database (after every module closed). */
  close(): Promise<void>;
}

export async function openShared(config: Config, options: SharedOptions): Promise<Shared> {
  const { logger } = options;
  const database = await connectDatabase(config.databaseUrl, {
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
    timeoutMs: config.databaseTimeoutMs,
    sqliteCacheSizeKib: config.sqliteCacheSizeKib,
    onPoolError: (error) =>
      logger.warn(
        { error: { message: error.message, code: (error as { code?: unknown }).code } },
        'database connection lost; the pool reconnects',
      ),
  });
  let cipher: FieldCipher;
  try {
    const applied = await migrateToLatest(database.db, database.schema);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    cipher = fieldCipher(config, logger);
    await checkEncryptionKey(database.db, cipher);
  } catch (error) {
    await database.close();
    throw error;
  }
  const metrics = config.monitoring.enabled
    ? new Metrics({
        httpBuckets: config.monitoring.httpBuckets,
        maxSeriesPerMetric: config.monitoring.maxSeriesPerMetric,
      })
    : undefined;
  const collector = metrics === undefined ? undefined : new MetricsCollector(metrics);
  MetricsCollector.install(collector);
  const sinkMeters = sinkMetrics(metrics);
  const eventRelay = await createEventRelay(config, {
    db: database.db,
    metrics: sinkMeters,
    logger,
    ...(options.eventSink === undefined ? {} : { sink: options.eventSink }),
  });
  const providers = options.providers ?? createProviders(config.providers);
  return {
    config,
    logger,
    database,
    dataDir: database.filePath === undefined ? process.cwd() : dirname(database.filePath),
    cipher,
    metrics,
    collector,
    sinkMeters,
    providers,
    models: modelClientFor(
      config,
      providers,
      logger,
      options.secrets,
      collector === undefined ? undefined : modelCallMetrics(collector),
    ),
    cards: new CardStore(database.db, cipher),
    versions: new CardVersionStore(database.db, cipher),
    runs: new RunStore(database.db, cipher, eventRelay?.outbox),
    eventRelay,
    close: async () => {
      if (collector !== undefined) MetricsCollector.install(undefined);
      await database.close();
    },
  };
}

/**
 * METRICS_ENCRYPTION_KEY as a cipher. The setup guide's placeholder (accepted outside
 * production only) is not a key: encryption stays off, with a warning.
 */
export function fieldCipher(config: Config, logger: Logger): FieldCipher {
  const placeholder = (key: string | undefined) =>
    key !== undefined && (PLACEHOLDER_SECRETS as readonly string[]).includes(key);
  const { metricsEncryptionKey: current, metricsEncryptionKeyPrevious: previous } = config.secrets;
  if (placeholder(current)) {
    logger.warn(
      'METRICS_ENCRYPTION_KEY is the placeholder from the guide: encryption at rest is off',
    );
    return new FieldCipher(undefined);
  }
  return new FieldCipher(current, placeholder(previous) ? undefined : previous);
}
