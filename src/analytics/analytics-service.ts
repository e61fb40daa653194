/**
 * The analytics the service runs on itself (ENABLE_ADVANCED_ANALYTICS=true): every interval it
 * derives the series of series-catalog.ts from the metrics registry and the process, stores
 * them (raw + one-minute roll-ups, pruned by retention), judges each new point by the series'
 * kind (series-judge.ts: warm-up and gaps never alert, high and critical only when sustained on
 * a series an operator acts on), exports the score as `anomaly_score{series}`, stores anomalies
 * and raises them, with why, through the alert store and dispatcher. It also answers the API's reads,
 * forecasts and capacity plans, from the stored series or, for PromQL, from Prometheus.
 */
import { createHash } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type {
  AlertDispatcher,
  AlertNotification,
  AlertStore,
  Severity as AlertSeverity,
} from '../alerting/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../telemetry/logging/index.js';
import { METRIC, type Metrics } from '../telemetry/metrics/index.js';
import type { AnalyticsStore, Point, StoredAnomaly } from './analytics-store.js';
import { StreamingAnomalyDetector, type Severity } from './anomaly-detector.js';
import { describeAnomaly } from './anomaly-reason.js';
import { planCapacity, type CapacityLimit, type CapacityPlan } from './capacity.js';
import { forecastSeries, type ForecastResult } from './forecaster.js';
import type { PrometheusSource } from './prometheus-source.js';
import { readSnapshot } from './registry-snapshot.js';
import {
  deriveSeries,
  gaugeSeries,
  seriesInfo,
  type RegistrySnapshot,
  type SeriesInfo,
} from './series-catalog.js';
import { SeriesJudge, type Judgement } from './series-judge.js';

export const ANOMALY_ALERT = 'MetricAnomalyDetected';
const PRUNE_EVERY_MS = 10 * 60_000;

export interface AnalyticsDeps {
  readonly store: AnalyticsStore;
  readonly config: Config['analytics'];
  readonly metrics: Metrics | undefined;
  readonly logger: Logger;
  /** Folder whose volume `disk_free_bytes` watches. */
  readonly dataDir: string;
  readonly alerts?: { store: AlertStore; dispatcher: AlertDispatcher };
  readonly prometheus?: PrometheusSource;
  readonly now?: () => number;
  /** Told every stored sample (time series sinks); must not throw. */
  readonly onSample?: (at: number, values: ReadonlyMap<string, number>) => void;
}

export type SeriesSpec = { readonly series: string } | { readonly query: string };

/** A series outside the catalog is judged as a level that informs. */
const UNKNOWN: Pick<SeriesInfo, 'kind' | 'worse' | 'actionable'> = {
  kind: 'level',
  worse: 'both',
  actionable: false,
};

interface SeriesState {
  readonly judge: SeriesJudge;
  /** Samples left before a firing anomaly alert resolves. */
  quietLeft: number;
  firing: boolean;
}

function alertSeverity(severity: Severity): AlertSeverity {
  return severity === 'critical' ? 'critical' : severity === 'low' ? 'info' : 'warning';
}

export class AnalyticsService {
  private readonly now: () => number;
  private readonly states = new Map<string, SeriesState>();
  private previous: RegistrySnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<unknown> | undefined;
  private lastPrune = 0;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private diskTotalBytes: number | undefined;

  constructor(private readonly deps: AnalyticsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Replays every stored raw sample of the raw retention into the detectors (no alerts), opens
   * the start-up grace, then samples every interval.
   */
  async start(): Promise<void> {
    await this.warmUp();
    this.loopDelay.enable();
    this.timer = setInterval(() => {
      // One sample at a time: a slow database delays the next tick instead of piling up.
      if (this.sampling !== undefined) return;
      this.sampling = this.sampleOnce()
        .catch((error: unknown) =>
          this.deps.logger.error({ err: error }, 'analytics sample failed'),
        )
        .finally(() => (this.sampling = undefined));
    }, this.deps.config.sampleIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.loopDelay.disable();
    await this.sampling;
  }

  private state(series: string): SeriesState {
    let state = this.states.get(series);
    if (state === undefined) {
      state = {
        judge: new SeriesJudge(seriesInfo(series) ?? UNKNOWN, {
          threshold: this.deps.config.anomalyThreshold,
          severities: this.deps.config.severities,
          intervalMs: this.deps.config.sampleIntervalMs,
        }),
        quietLeft: 0,
        firing: false,
      };
      this.states.set(series, state);
    }
    return state;
  }

  private async warmUp(): Promise<void> {
    const now = this.now();
    for (const { series } of await this.deps.store.list()) {
      // Every raw sample (not read(), which may answer one-minute roll-ups: see samples()).
      const points = await this.deps.store.samples(
        series,
        now - this.deps.config.rawRetentionMs,
        now,
      );
      const { judge } = this.state(series);
      for (const point of points) judge.update(point.v, point.t);
      // A start-up is a start-up however recent the history: its first samples never alert.
      judge.restartGrace();
    }
  }

  private async gauges(): Promise<Record<string, number | undefined>> {
    const memory = process.memoryUsage();
    const stats = await statfs(this.deps.dataDir).catch(() => undefined);
    if (stats !== undefined) this.diskTotalBytes = stats.blocks * stats.bsize;
    const p99 = this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e9 : undefined;
    this.loopDelay.reset();
    return {
      process_rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      event_loop_delay_p99_seconds: p99,
      database_size_bytes: await this.deps.store.databaseSizeBytes(),
      disk_free_bytes: stats === undefined ? undefined : stats.bavail * stats.bsize,
    };
  }

  /** Takes one sample of every series now: stores, scores, alerts. Returns the values. */
  async sampleOnce(): Promise<Map<string, number>> {
    const at = this.now();
    const current = await readSnapshot(this.deps.metrics, await this.gauges(), at);
    // No interval yet, or no metrics registry (ENABLE_MONITORING=false): only the gauges mean
    // something; counter-derived series would read as a false zero.
    const values =
      this.previous === undefined || this.deps.metrics === undefined
        ? gaugeSeries(current.gauges)
        : deriveSeries(this.previous, current);
    this.previous = current;
    await this.deps.store.record(at, values);
    this.deps.onSample?.(at, values);
    for (const [series, value] of values) await this.score(series, value, at);
    if (at - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = at;
      const pruned = await this.deps.store.prune(
        at,
        this.deps.config.rawRetentionMs,
        this.deps.config.rollupRetentionMs,
      );
      if (pruned.samples + pruned.rollups > 0)
        this.deps.logger.debug(pruned, 'analytics retention pruned rows');
    }
    return values;
  }

  private async score(series: string, value: number, at: number): Promise<void> {
    const state = this.state(series);
    const point = state.judge.update(value, at);
    if (point === null) return;
    const metrics = this.deps.metrics;
    // Series names include model ids, so the label goes through the cardinality guard.
    metrics?.anomalyScore.set(
      metrics.admit(METRIC.anomalyScore, { series }, ['series']),
      point.score,
    );
    if (point.anomaly && point.severity !== null) {
      const anomaly = await this.deps.store.recordAnomaly({
        series,
        ts: at,
        value,
        expected: point.expected,
        score: point.score,
        severity: point.severity,
        kind: point.kind,
      });
      state.quietLeft = 100;
      // A new incident, or an escalation of the open one (its severity rose).
      state.firing = true;
      await this.notify(series, 'firing', anomaly, point);
    } else if (state.firing && --state.quietLeft <= 0) {
      state.firing = false;
      await this.notify(series, 'resolved', undefined, undefined);
    }
  }

  private async notify(
    series: string,
    status: 'firing' | 'resolved',
    anomaly: StoredAnomaly | undefined,
    point: Judgement | undefined,
  ): Promise<void> {
    if (this.deps.alerts === undefined) return;
    const now = new Date(this.now()).toISOString();
    const severity = anomaly === undefined ? 'warning' : alertSeverity(anomaly.severity);
    const notification: AlertNotification = {
      fingerprint: createHash('sha256')
        .update(`${ANOMALY_ALERT}\u0000${series}`)
        .digest('hex')
        .slice(0, 16),
      status,
      name: ANOMALY_ALERT,
      severity,
      ...(anomaly === undefined || point === undefined
        ? {
            summary: `${series} is back to normal`,
            description: `No anomaly on ${series} for 100 samples.`,
          }
        : describeAnomaly(series, anomaly, point, this.deps.config.sampleIntervalMs)),
      labels: { alertname: ANOMALY_ALERT, severity, series },
      startsAt: anomaly?.at ?? now,
      endsAt: status === 'resolved' ? now : null,
      runbookUrl: `docs/runbooks/${ANOMALY_ALERT}.md`,
    };
    const { store, dispatcher } = this.deps.alerts;
    if (await store.record(notification))
      dispatcher
        .dispatch(notification)
        .catch((error: unknown) =>
          this.deps.logger.error({ err: error }, 'anomaly alert dispatch failed'),
        );
  }

  /** Points of a stored series or of a PromQL query over [now − rangeMs, now]. */
  async read(spec: SeriesSpec, rangeMs: number, stepMs: number): Promise<Point[]> {
    const to = this.now();
    const from = to - rangeMs;
    if ('query' in spec) {
      if (this.deps.prometheus === undefined) throw new Error('PROMETHEUS_URL is not set');
      return this.deps.prometheus.read(spec.query, from, to, stepMs);
    }
    return this.deps.store.read(spec.series, from, to, stepMs);
  }

  listStored(): ReturnType<AnalyticsStore['list']> {
    return this.deps.store.list();
  }

  storedAnomalies(filter: Parameters<AnalyticsStore['anomalies']>[0]): Promise<StoredAnomaly[]> {
    return this.deps.store.anomalies(filter);
  }

  get prometheusEnabled(): boolean {
    return this.deps.prometheus !== undefined;
  }

  forecast(points: readonly Point[], horizonSteps: number): ForecastResult {
    return forecastSeries(
      points.map((p) => p.v),
      horizonSteps,
    );
  }

  /**
   * Runs a fresh detector over `points` (for series read on demand, e.g. from Prometheus). A
   * series that never goes down (a counter read without rate()) is a monotonic total: its growth
   * per second between points is judged, not its ever-new maxima (kind `growth_rate_change`).
   */
  detect(points: readonly Point[]): Omit<StoredAnomaly, 'id' | 'series'>[] {
    const detector = new StreamingAnomalyDetector({
      threshold: this.deps.config.anomalyThreshold,
      severities: this.deps.config.severities,
    });
    const monotonic =
      points.length > 2 &&
      points.every((p, i) => i === 0 || p.v >= (points[i - 1]?.v ?? -Infinity)) &&
      (points[points.length - 1]?.v ?? 0) > (points[0]?.v ?? 0);
    return points.flatMap((p, i) => {
      const before = points[i - 1];
      if (monotonic && (before === undefined || p.t <= before.t)) return [];
      const seconds = before === undefined ? 1 : (p.t - before.t) / 1000;
      const judged = monotonic && before !== undefined ? (p.v - before.v) / seconds : p.v;
      const scored = detector.update(judged, p.t);
      return scored.anomaly && scored.severity !== null
        ? [
            {
              at: new Date(p.t).toISOString(),
              value: p.v,
              expected:
                monotonic && before !== undefined
                  ? before.v + scored.expected * seconds
                  : scored.expected,
              score: scored.score,
              severity: scored.severity,
              kind: monotonic ? 'growth_rate_change' : scored.kind,
            },
          ]
        : [];
    });
  }

  limits(): Record<string, CapacityLimit | null> {
    const { limits } = this.deps.config;
    return {
      disk_free_bytes:
        this.diskTotalBytes === undefined
          ? null
          : {
              value: this.diskTotalBytes * limits.diskFreeMinRatio,
              direction: 'below',
              source: `ANALYTICS_DISK_FREE_MIN_RATIO=${limits.diskFreeMinRatio} of the volume`,
            },
      database_size_bytes:
        limits.databaseSizeBytes === undefined
          ? null
          : {
              value: limits.databaseSizeBytes,
              direction: 'above',
              source: 'ANALYTICS_DATABASE_SIZE_LIMIT_BYTES',
            },
      process_rss_bytes:
        limits.memoryBytes === undefined
          ? { value: 0.9 * totalmem(), direction: 'above', source: '90 % of system memory' }
          : {
              value: limits.memoryBytes,
              direction: 'above',
              source: 'ANALYTICS_MEMORY_LIMIT_BYTES',
            },
      cost_usd_per_day:
        limits.dailyBudgetUsd === undefined
          ? null
          : {
              value: limits.dailyBudgetUsd,
              direction: 'above',
              source: 'ANALYTICS_DAILY_BUDGET_USD',
            },
      token_spend_per_hour:
        limits.hourlyTokenBudget === undefined
          ? null
          : {
              value: limits.hourlyTokenBudget,
              direction: 'above',
              source: 'ANALYTICS_HOURLY_TOKEN_BUDGET',
            },
    };
  }

  /** A plan per resource series, from up to `historyMs` of roll-ups in ≤ 1,000 points. */
  async capacity(historyMs: number): Promise<CapacityPlan[]> {
    const now = this.now();
    const stepMs = Math.max(
      this.deps.config.sampleIntervalMs,
      Math.ceil(historyMs / 1000 / 60_000) * 60_000,
    );
    const plans: CapacityPlan[] = [];
    for (const [series, limit] of Object.entries(this.limits())) {
      const points = await this.deps.store.read(series, now - historyMs, now, stepMs);
      plans.push(planCapacity(series, points, stepMs, limit, now));
    }
    return plans;
  }
}
