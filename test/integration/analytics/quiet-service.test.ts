/**
 * The analytics on a healthy service: sampled every second (on a clock the test advances, so
 * 600 samples take seconds, not ten minutes) from a real metrics registry under a steady mixed
 * load, into a real SQLite database that grows with every sample, through idle periods and a
 * restart. Nothing may page (high or critical); an injected error burst and a latency step must
 * each be raised within two samples.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AlertDispatcher, AlertStore } from '../../../src/alerting/index.js';
import { AnalyticsService, AnalyticsStore } from '../../../src/analytics/index.js';
import type { StoredAnomaly } from '../../../src/analytics/analytics-store.js';
import { parseConfig } from '../../../src/config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from '../../../src/db/index.js';
import { silentLogger } from '../../../src/telemetry/logging/index.js';
import { Metrics } from '../../../src/telemetry/metrics/index.js';
import { observeWithExemplar } from '../../../src/telemetry/metrics/observe.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
const config = parseConfig({
  ENABLE_ADVANCED_ANALYTICS: 'true',
  ANALYTICS_SAMPLE_INTERVAL_SECONDS: '1',
}).analytics;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function noise(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

interface Load {
  requests: number;
  /** Share answered 5xx. */
  errors: number;
  /** Median latency, seconds. */
  latency: number;
}

const STEADY: Load = { requests: 20, errors: 0, latency: 0.02 };
const IDLE: Load = { requests: 0, errors: 0, latency: 0.02 };

/** One second of traffic on the registry: mostly 200s, some 404s, latencies around `latency`. */
function serve(metrics: Metrics, load: Load, random: () => number): void {
  for (let i = 0; i < load.requests; i++) {
    const status = random() < load.errors ? '500' : random() < 0.1 ? '404' : '200';
    const labels = { method: 'GET', route: '/api/cards', status_code: status };
    metrics.httpRequestsTotal.inc(labels);
    observeWithExemplar(metrics.httpRequestDuration, labels, load.latency * (0.5 + random()));
  }
}

describe('analytics on a healthy service (1 s sampling, SQLite, real registry)', () => {
  let database: DatabaseHandle;
  let alerts: AlertStore;
  // From the real now on: the store reads raw samples (not roll-ups) within its retention.
  // From the real now on: the store reads raw samples (not roll-ups) within its retention.
  let clock = Date.now();

  before(async () => {
    database = await connectDatabase(`sqlite:${join(dir.path, 'analytics.db')}`);
    await migrateToLatest(database.db, database.schema);
    alerts = new AlertStore(database.db);
  });
  after(async () => {
    await database.close();
    dir.remove();
  });

  const service = (metrics: Metrics) =>
    new AnalyticsService({
      store: new AnalyticsStore(database.db, database.kind, config.rawRetentionMs),
      config,
      metrics,
      logger: silentLogger(),
      dataDir: dir.path,
      alerts: { store: alerts, dispatcher: new AlertDispatcher([]) },
      now: () => clock,
    });
  const store = () => new AnalyticsStore(database.db, database.kind, config.rawRetentionMs);
  const paging = (list: StoredAnomaly[]) =>
    list.filter((a) => a.severity === 'high' || a.severity === 'critical');

  /** Takes `seconds` samples one second apart under `load`. */
  async function run(
    analytics: AnalyticsService,
    metrics: Metrics,
    seconds: number,
    load: Load,
    random: () => number,
  ): Promise<void> {
    for (let s = 0; s < seconds; s++) {
      clock += 1000;
      serve(metrics, load, random);
      await analytics.sampleOnce();
    }
  }

  it('raises nothing that pages on a steadily growing database, steady load, idle periods and a restart', async () => {
    const random = noise(7);
    let metrics = new Metrics({ defaultMetrics: false });
    let analytics = service(metrics);
    await analytics.start();
    await analytics.stop(); // the test drives the samples itself
    // The reported case: 80 s after start, database_size_bytes growing smoothly was "critical".
    await run(analytics, metrics, 120, STEADY, random);
    const early = await store().anomalies({ series: 'database_size_bytes', limit: 100 });
    assert.deepEqual(
      early.map((a) => `${a.kind} ${a.severity}`),
      [],
      'a steadily growing database is not an anomaly',
    );
    await run(analytics, metrics, 60, IDLE, random);
    await run(analytics, metrics, 120, STEADY, random);
    // Restart: a new registry (counters from zero), a new service replaying the stored samples.
    clock += 20_000;
    metrics = new Metrics({ defaultMetrics: false });
    analytics = service(metrics);
    await analytics.start();
    await analytics.stop();
    await run(analytics, metrics, 120, STEADY, random);
    await run(analytics, metrics, 60, IDLE, random);
    await run(analytics, metrics, 120, STEADY, random);
    const all = await store().anomalies({ limit: 1000 });
    assert.deepEqual(
      paging(all).map((a) => `${a.series} ${a.kind} ${a.severity} ${a.at}`),
      [],
      'nothing pages on a healthy service',
    );
    assert.ok(
      all.every((a) => a.kind !== 'out_of_range' || a.series !== 'database_size_bytes'),
      'a trend is never out of range',
    );
  });

  it('judges a counter read on demand (never going down) by its growth, not its new maxima', () => {
    const random = noise(5);
    let total = 1e6;
    // A counter growing by 4 KiB chunks, then four times faster from point 1,500 on.
    const points = Array.from({ length: 2000 }, (_, i) => ({
      t: clock + i * 15_000,
      v: (total += random() < (i < 1500 ? 0.25 : 1) ? 4096 : 0),
    }));
    const found = service(new Metrics({ defaultMetrics: false })).detect(points);
    assert.deepEqual(
      found.filter((a) => a.kind === 'out_of_range'),
      [],
    );
    const change = found.find((a) => Date.parse(a.at) >= (points[1500]?.t ?? 0));
    assert.equal(change?.kind, 'growth_rate_change');
    assert.ok(Date.parse(change.at) <= (points[1510]?.t ?? 0), change.at);
  });

  it('after a restart on the real clock, replays the raw history: a fault soon after is raised', async () => {
    // As the server wires it: store and service both on Date.now, so the service's reading of
    // the clock (now − raw retention) precedes the store's. The history is taken on a clock
    // ending 5 s ago (a restart's pause), then the restarted service samples in real time.
    const random = noise(13);
    let past = Date.now() - 306_000;
    const before = new Metrics({ defaultMetrics: false });
    const sampler = new AnalyticsService({
      store: new AnalyticsStore(database.db, database.kind, config.rawRetentionMs),
      config,
      metrics: before,
      logger: silentLogger(),
      dataDir: dir.path,
      now: () => past,
    });
    for (let s = 0; s < 300; s++) {
      past += 1000;
      serve(before, STEADY, random);
      await sampler.sampleOnce();
    }
    const metrics = new Metrics({ defaultMetrics: false });
    const analytics = new AnalyticsService({
      store: new AnalyticsStore(database.db, database.kind, config.rawRetentionMs),
      config,
      metrics,
      logger: silentLogger(),
      dataDir: dir.path,
    });
    await analytics.start();
    await analytics.stop(); // the test drives the samples itself, in real time
    const tick = async (load: Load) => {
      serve(metrics, load, random);
      await sleep(2); // distinct timestamps (the store keys samples by series and time)
      await analytics.sampleOnce();
    };
    // The first sample after a start, then the start-up grace (30 samples), all steady.
    for (let s = 0; s < 32; s++) await tick(STEADY);
    const burstAt = Date.now();
    for (let s = 0; s < 3; s++) await tick({ ...STEADY, errors: 0.4 });
    const burstEnd = Date.now();
    // (The other tests' samples lie ahead of the real clock: only this window counts.)
    const burst = (
      await store().anomalies({ series: 'error_ratio', since: burstAt, limit: 100 })
    ).filter((a) => Date.parse(a.at) <= burstEnd);
    assert.ok(
      burst.length > 0,
      'an error burst 33 samples after a restart is raised from the 300 replayed samples',
    );
  });

  it('raises an error burst and a latency step within two samples', async () => {
    const random = noise(11);
    const metrics = new Metrics({ defaultMetrics: false });
    const analytics = service(metrics);
    await analytics.start();
    await analytics.stop();
    // A new series needs about 220 samples before a point can rank above 0.995 (1 in 200).
    await run(analytics, metrics, 300, STEADY, random);
    const burstAt = clock + 1000;
    await run(analytics, metrics, 5, { ...STEADY, errors: 0.3 }, random);
    await run(analytics, metrics, 100, STEADY, random);
    const stepAt = clock + 1000;
    await run(analytics, metrics, 10, { ...STEADY, latency: 0.5 }, random);
    const found = async (series: string, from: number) =>
      (await store().anomalies({ series, since: from, limit: 10 })).map((a) => Date.parse(a.at));
    const burst = await found('error_ratio', burstAt);
    assert.ok(
      burst.some((t) => t <= burstAt + 1000),
      `error burst raised at ${burst.map((t) => (t - burstAt) / 1000).join(', ')} s`,
    );
    const step = await found('latency_p95_seconds', stepAt);
    assert.ok(
      step.some((t) => t <= stepAt + 1000),
      `latency step raised at ${step.map((t) => (t - stepAt) / 1000).join(', ')} s`,
    );
  });
});
