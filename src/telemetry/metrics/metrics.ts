/**
 * The registry and every metric of the service, with the guide's names and labels. One
 * instance per server (tests start several); `MetricsCollector` records through it.
 *
 * The registry is of the OpenMetrics type only so that prom-client allows exemplars; the
 * exposition (both formats) is written by our own serializer (serialize.ts).
 */
import client from 'prom-client';
import { CardinalityGuard, type Labels } from './cardinality-guard.js';
import {
  DEFAULT_HTTP_BUCKETS,
  EFFECTIVENESS_BUCKETS,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_BUCKETS,
  METRIC,
  RUN_DURATION_BUCKETS,
} from './metric-names.js';

export interface MetricsOptions {
  readonly httpBuckets?: readonly number[];
  /** Distinct label sets allowed per metric before user-sourced labels fold. */
  readonly maxSeriesPerMetric?: number;
  /** Collect Node's default process metrics (off in benchmarks that count series). */
  readonly defaultMetrics?: boolean;
}

export class Metrics {
  readonly registry = new client.Registry<client.OpenMetricsContentType>();
  readonly guard: CardinalityGuard;

  readonly httpRequestDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  readonly httpRequestsTotal: client.Counter<'method' | 'route' | 'status_code'>;
  readonly promptEffectiveness: client.Histogram<'model' | 'prompt_type' | 'user_category'>;
  readonly modelPerformance: client.Gauge<'model' | 'metric_type' | 'benchmark'>;
  readonly resourceEfficiency: client.Gauge<'resource_type' | 'service' | 'optimization_target'>;
  readonly testExecutions: client.Counter<'status' | 'model'>;
  readonly activeWebsocketConnections: client.Gauge;
  /** Progress sockets the server ended: reason = slow_consumer | missed_pong. */
  readonly websocketTerminated: client.Counter;
  /** `operation`: why the call was made (chat, grader, embedding). */
  readonly genAiOperationDuration: client.Histogram<
    | 'gen_ai_operation_name'
    | 'operation'
    | 'gen_ai_provider_name'
    | 'gen_ai_request_model'
    | 'error_type'
  >;
  readonly genAiTokenUsage: client.Histogram<
    | 'gen_ai_operation_name'
    | 'operation'
    | 'gen_ai_provider_name'
    | 'gen_ai_request_model'
    | 'gen_ai_token_type'
  >;
  readonly genAiCost: client.Counter<'operation' | 'gen_ai_provider_name' | 'gen_ai_request_model'>;
  readonly runsFinished: client.Counter<'status'>;
  readonly runDuration: client.Histogram<'status'>;
  readonly runQueueDepth: client.Gauge;
  readonly runQueueOldestJobAge: client.Gauge;
  readonly runQueueJobs: client.Counter<'outcome'>;
  readonly runLeasesActive: client.Gauge;
  readonly runLeaseTakeovers: client.Counter;
  readonly answerCacheRequests: client.Counter<'outcome'>;
  readonly cardinalityOverflow: client.Counter<'metric'>;
  readonly telemetryErrors: client.Counter<'component'>;
  readonly alertNotifications: client.Counter<'channel' | 'outcome'>;
  /** Run comparisons that found a significant regression; `card` and `model` are guarded. */
  readonly promptCardRegressions: client.Counter<'card' | 'model'>;
  readonly alertWebhookTruncated: client.Counter;
  /** Share of people's ratings the card's assertions agree with; `card` and `model` are guarded. */
  readonly judgeHumanAgreement: client.Gauge<'card' | 'model'>;
  readonly healthCheckStatus: client.Gauge<'check'>;
  readonly healthCheckDuration: client.Gauge<'check'>;
  readonly anomalyScore: client.Gauge<'series'>;

  /** Set by the run engine: items waiting (in this process or the shared queue), read at scrape time. */
  queueBacklog: () => Promise<{ items: number; oldestAgeSeconds: number }> = () =>
    Promise.resolve({ items: 0, oldestAgeSeconds: 0 });
  /** Set by the run engine: runs whose lease is live (every process's), read at scrape time. */
  activeLeases: () => Promise<number> = () => Promise.resolve(0);
  /** Set by the API server: human vs judge agreement per card and model (from the database). */
  judgeAgreement: () => Promise<
    readonly { card_id: string; model: string; agreement_ratio: number | null }[]
  > = () => Promise.resolve([]);

  constructor(options: MetricsOptions = {}) {
    this.registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
    const registers = [this.registry];
    if (options.defaultMetrics !== false) client.collectDefaultMetrics({ register: this.registry });
    this.cardinalityOverflow = new client.Counter({
      name: METRIC.cardinalityOverflow,
      help: 'Label sets folded into __overflow__ because a metric reached its series cap',
      labelNames: ['metric'],
      registers,
    });
    this.guard = new CardinalityGuard(options.maxSeriesPerMetric ?? 1000, (metric) =>
      this.cardinalityOverflow.inc({ metric }),
    );
    this.httpRequestDuration = new client.Histogram({
      name: METRIC.httpRequestDuration,
      help: 'Duration of HTTP requests in seconds, by route template',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [...(options.httpBuckets ?? DEFAULT_HTTP_BUCKETS)],
      enableExemplars: true,
      registers,
    });
    this.httpRequestsTotal = new client.Counter({
      name: METRIC.httpRequestsTotal,
      help: 'HTTP requests, by route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.promptEffectiveness = new client.Histogram({
      name: METRIC.promptEffectiveness,
      help: 'Effectiveness score (0..1) of test case executions that got an answer',
      labelNames: ['model', 'prompt_type', 'user_category'],
      buckets: EFFECTIVENESS_BUCKETS,
      registers,
    });
    this.modelPerformance = new client.Gauge({
      name: METRIC.modelPerformance,
      help: 'Latest per-model figures of a finished run (metric_type says which; benchmark is the card id)',
      labelNames: ['model', 'metric_type', 'benchmark'],
      registers,
    });
    this.resourceEfficiency = new client.Gauge({
      name: METRIC.resourceEfficiency,
      help: 'Resource spent per passed test in the latest finished run',
      labelNames: ['resource_type', 'service', 'optimization_target'],
      registers,
    });
    this.testExecutions = new client.Counter({
      name: METRIC.testExecutions,
      help: 'Test case executions by outcome: success (passed), failure (assertions failed), error (no answer)',
      labelNames: ['status', 'model'],
      registers,
    });
    this.activeWebsocketConnections = new client.Gauge({
      name: METRIC.activeWebsocketConnections,
      help: 'Open WebSocket connections of the run progress stream',
      registers,
    });
    this.websocketTerminated = new client.Counter({
      name: METRIC.websocketTerminated,
      help: 'Run progress WebSockets the server ended: slow_consumer (send buffer over WS_MAX_BUFFERED_BYTES) or missed_pong (no answer to a heartbeat ping)',
      labelNames: ['reason'],
      registers,
    });
    this.genAiOperationDuration = new client.Histogram({
      name: METRIC.genAiOperationDuration,
      help: 'GenAI client operation duration in seconds (OpenTelemetry GenAI conventions)',
      labelNames: [
        'gen_ai_operation_name',
        'operation',
        'gen_ai_provider_name',
        'gen_ai_request_model',
        'error_type',
      ],
      buckets: GEN_AI_DURATION_BUCKETS,
      enableExemplars: true,
      registers,
    });
    this.genAiTokenUsage = new client.Histogram({
      name: METRIC.genAiTokenUsage,
      help: 'GenAI tokens used per operation, by token type (OpenTelemetry GenAI conventions)',
      labelNames: [
        'gen_ai_operation_name',
        'operation',
        'gen_ai_provider_name',
        'gen_ai_request_model',
        'gen_ai_token_type',
      ],
      buckets: GEN_AI_TOKEN_BUCKETS,
      registers,
    });
    this.genAiCost = new client.Counter({
      name: METRIC.genAiCost,
      help: 'Cost of model calls in USD (calls of models without a price are not counted)',
      labelNames: ['operation', 'gen_ai_provider_name', 'gen_ai_request_model'],
      registers,
    });
    this.runsFinished = new client.Counter({
      name: METRIC.runsFinished,
      help: 'Runs that reached a final status',
      labelNames: ['status'],
      registers,
    });
    this.runDuration = new client.Histogram({
      name: METRIC.runDuration,
      help: 'Wall time of finished runs in seconds, from start to final status',
      labelNames: ['status'],
      buckets: RUN_DURATION_BUCKETS,
      registers,
    });
    this.runQueueDepth = new client.Gauge({
      name: METRIC.runQueueDepth,
      help: 'Items of active runs that have not started yet (the shared queue: items of waiting jobs)',
      registers,
      // Read at scrape time: the engine knows the number, the gauge only reports it.
      // A queue or database that does not answer keeps the last value: the scrape still works.
      collect: async () => {
        const backlog = await this.queueBacklog().catch(() => undefined);
        if (backlog === undefined) return this.telemetryErrors.inc({ component: 'run_queue' });
        this.runQueueDepth.set(backlog.items);
        this.runQueueOldestJobAge.set(backlog.oldestAgeSeconds);
      },
    });
    this.runQueueOldestJobAge = new client.Gauge({
      name: METRIC.runQueueOldestJobAge,
      help: 'Age in seconds of the oldest job waiting in the run queue (0 when none waits)',
      registers,
    });
    this.runQueueJobs = new client.Counter({
      name: METRIC.runQueueJobs,
      help: 'Run queue jobs handled by this process, by outcome (completed, retried, failed)',
      labelNames: ['outcome'],
      registers,
    });
    // Every outcome is a series from the start: a rate over it is 0, not absent, until one occurs.
    for (const outcome of ['completed', 'retried', 'failed']) this.runQueueJobs.inc({ outcome }, 0);
    this.runLeasesActive = new client.Gauge({
      name: METRIC.runLeasesActive,
      help: 'Runs whose executing process holds a live lease (all processes, from the database)',
      registers,
      collect: async () => {
        const active = await this.activeLeases().catch(() => undefined);
        if (active === undefined) return this.telemetryErrors.inc({ component: 'run_leases' });
        this.runLeasesActive.set(active);
      },
    });
    this.answerCacheRequests = new client.Counter({
      name: METRIC.answerCacheRequests,
      help: 'Answer-cache lookups of runs that use the cache, by outcome (hit, miss)',
      labelNames: ['outcome'],
      registers,
    });
    this.runLeaseTakeovers = new client.Counter({
      name: METRIC.runLeaseTakeovers,
      help: 'Runs (or jobs of runs) this process took over after their owner lease expired',
      registers,
    });
    this.anomalyScore = new client.Gauge({
      name: METRIC.anomalyScore,
      help: 'Latest anomaly score (0–1) of each analytics series; 0.995 means 1 point in 200 deviated this much',
      labelNames: ['series'],
      registers,
    });
    this.telemetryErrors = new client.Counter({
      name: METRIC.telemetryErrors,
      help: 'Failures inside telemetry code, contained so they never reach a request or a run',
      labelNames: ['component'],
      registers,
    });
    this.alertNotifications = new client.Counter({
      name: METRIC.alertNotifications,
      help: 'Alert notification attempts by channel and outcome (sent, retried, failed)',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.promptCardRegressions = new client.Counter({
      name: METRIC.promptCardRegressions,
      help: 'Run comparisons that found a significant pass-rate regression, by card id and model',
      labelNames: ['card', 'model'],
      registers,
    });
    this.judgeHumanAgreement = new client.Gauge({
      name: METRIC.judgeHumanAgreement,
      help: "Share (0–1) of people's judged ratings that agree with the assertions' verdict, by card id and model",
      labelNames: ['card', 'model'],
      registers,
      // Read at scrape time from the database: every replica reports the same figures, and a
      // card or model with no judged rating has no series (0 would read as total disagreement).
      collect: async () => {
        const rows = await this.judgeAgreement().catch(() => undefined);
        if (rows === undefined) return this.telemetryErrors.inc({ component: 'ratings' });
        this.judgeHumanAgreement.reset();
        for (const row of rows) {
          if (row.agreement_ratio === null) continue;
          const labels = this.admit(
            METRIC.judgeHumanAgreement,
            { card: row.card_id, model: row.model },
            ['card', 'model'],
          );
          this.judgeHumanAgreement.set(labels, row.agreement_ratio);
        }
      },
    });
    this.alertWebhookTruncated = new client.Counter({
      name: METRIC.alertWebhookTruncated,
      help: 'Alerts Alertmanager left out of webhook payloads (their truncatedAlerts field)',
      registers,
    });
    this.healthCheckStatus = new client.Gauge({
      name: METRIC.healthCheckStatus,
      help: 'Latest result of each health check: 1 pass, 0.5 warn, 0 fail',
      labelNames: ['check'],
      registers,
    });
    this.healthCheckDuration = new client.Gauge({
      name: METRIC.healthCheckDuration,
      help: 'Duration of the latest run of each health check in seconds',
      labelNames: ['check'],
      registers,
    });
  }

  /** Labels through the cardinality guard; `foldable` names the user-sourced labels. */
  admit<L extends Labels>(metric: string, labels: L, foldable: readonly (keyof L & string)[]): L {
    return this.guard.admit(metric, labels, foldable) as L;
  }
}
