import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AnalyticsStore } from '../../../src/analytics/index.js';
import { startHttpReceiver, type HttpReceiver } from '../../support/alert-receivers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const MINUTE = 60_000;

function noise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
}

async function seedHistory(
  server: TestServer,
  series: string,
  values: (i: number) => number,
  count: number,
  stepMs: number,
) {
  const store = new AnalyticsStore(server.running.database.db, server.running.database.kind);
  const start = Date.now() - count * stepMs;
  for (let i = 0; i < count; i++)
    await store.record(start + i * stepMs, new Map([[series, values(i)]]));
}

describe('analytics API (sampler, store, detector, alerts) over HTTP on SQLite', () => {
  let server: TestServer;
  let slack: HttpReceiver;

  before(async () => {
    slack = await startHttpReceiver();
    // A first server seeds history, as if it had sampled for hours; the second starts on it
    // and replays it into its detectors.
    const seeding = await startTestServer({ ENABLE_ADVANCED_ANALYTICS: 'true' });
    const jitter = noise(21);
    await seedHistory(
      seeding,
      'effectiveness_mean:simulated:echo',
      () => 0.8 + 0.01 * jitter(),
      1500,
      15_000,
    );
    await seedHistory(seeding, 'database_size_bytes', (i) => 1e6 + i * 1000, 300, MINUTE);
    await seeding.stop();
    server = await startTestServer(
      {
        ENABLE_ADVANCED_ANALYTICS: 'true',
        SLACK_WEBHOOK_URL: slack.url,
        ANALYTICS_DATABASE_SIZE_LIMIT_BYTES: String(1e6 + 500 * 1000),
        // The test takes its samples itself; the timer's first tick comes after it ends.
        ANALYTICS_SAMPLE_INTERVAL_SECONDS: '60',
      },
      seeding.dataDir,
    );
  });

  after(async () => {
    await server.dispose();
    await slack.close();
  });

  // Before any live sample: the sampler would append the real database size to the seeded ramp.
  it('forecasts a stored series with intervals, and plans capacity with a crossing time', async () => {
    const forecast = await server.request(
      'GET',
      '/api/analytics/forecast?series=database_size_bytes&horizon=2h&range=6h&step=1m',
    );
    assert.equal(forecast.status, 200, forecast.text);
    assert.equal(forecast.body.forecast.length, 120);
    const first = forecast.body.forecast[0];
    assert.ok(first.lower <= first.mean && first.mean <= first.upper);
    // The seeded ramp grows 1,000 bytes a minute.
    const last = forecast.body.forecast[119];
    assert.ok(last.mean > first.mean + 100_000, 'the ramp continues');

    const capacity = await server.request('GET', '/api/analytics/capacity?history=1d');
    assert.equal(capacity.status, 200, capacity.text);
    const database = capacity.body.plans.find(
      (p: { series: string }) => p.series === 'database_size_bytes',
    );
    assert.ok(database);
    assert.equal(database.forecasts.length, 5);
    assert.deepEqual(
      database.forecasts.map((f: { horizon: string }) => f.horizon),
      ['1h', '6h', '24h', '7d', '30d'],
    );
    assert.ok(database.crossesAt !== null, 'the limit is crossed');
    assert.match(database.recommendation, /database_size_bytes is forecast to reach its limit/);
  });

  it('samples the registry into stored series with one-minute roll-ups', async () => {
    const analytics = server.running.analytics;
    assert.ok(analytics);
    await analytics.sampleOnce();
    for (let i = 0; i < 5; i++) await server.request('GET', '/api/prompt-cards');
    await server.request('GET', '/api/no-such-route');
    const values = await analytics.sampleOnce();
    assert.ok((values.get('request_rate') ?? 0) > 0, 'requests were counted');
    assert.ok((values.get('process_rss_bytes') ?? 0) > 1e6);
    assert.ok((values.get('database_size_bytes') ?? 0) > 0);
    assert.ok((values.get('disk_free_bytes') ?? 0) > 0);
    const rows = await server.running.database.db
      .selectFrom('analytics_rollups')
      .selectAll()
      .where('series', '=', 'request_rate')
      .execute();
    assert.ok(rows.length >= 1 && rows.every((r) => r.count >= 1 && r.min <= r.max));

    const list = await server.request('GET', '/api/analytics/series');
    assert.equal(list.status, 200);
    const names = (list.body.series as { name: string }[]).map((s) => s.name);
    for (const name of [
      'request_rate',
      'error_ratio',
      'latency_p95_seconds',
      'test_success_rate',
      'cost_usd_per_day',
      'process_rss_bytes',
      'database_size_bytes',
    ])
      assert.ok(names.includes(name), name);
    // A page opening on the first series with data opens on traffic, not on a flat-zero cost.
    const withData = (list.body.series as { name: string; minutes: number }[]).find(
      (s) => s.minutes > 0,
    );
    assert.equal(withData?.name, 'request_rate');
    const points = await server.request(
      'GET',
      '/api/analytics/series?series=request_rate&range=1h&step=15s',
    );
    assert.equal(points.status, 200);
    assert.ok(points.body.points.length >= 1);
  });

  it('scores every sample, stores an anomaly, exports anomaly_score and alerts through Slack', async () => {
    const analytics = server.running.analytics;
    assert.ok(analytics);
    const collector = server.running.metrics;
    assert.ok(collector);
    // Normal intervals through the start-up grace (the first 30 samples after a start never
    // alert, however long the replayed history), then a collapse of the model's effectiveness.
    // Samples in the same millisecond make no interval (no series): each waits for the next.
    const sample = async () => {
      const at = Date.now();
      while (Date.now() <= at) await new Promise((r) => setTimeout(r, 1));
      return analytics.sampleOnce();
    };
    for (let i = 0; i < 31; i++) {
      collector.promptEffectiveness.observe(
        { model: 'simulated:echo', prompt_type: 'card', user_category: 'api' },
        0.8,
      );
      await sample();
    }
    collector.promptEffectiveness.observe(
      { model: 'simulated:echo', prompt_type: 'card', user_category: 'api' },
      0.1,
    );
    await sample();

    const stored = await server.request(
      'GET',
      '/api/analytics/anomalies?series=effectiveness_mean:simulated:echo',
    );
    assert.equal(stored.status, 200);
    assert.equal(stored.body.anomalies.length, 1);
    const anomaly = stored.body.anomalies[0];
    assert.ok(Math.abs(anomaly.value - 0.1) < 1e-9);
    assert.ok(anomaly.score >= 0.995 && ['medium', 'high', 'critical'].includes(anomaly.severity));

    const metrics = await server.request('GET', '/api/metrics');
    assert.match(
      metrics.text,
      // 1 when the collapse lies beyond the range seen so far (the out-of-range rule).
      /anomaly_score\{series="effectiveness_mean:simulated:echo"\} (0\.99\d+|1)\n/,
    );

    const deadline = Date.now() + 5000;
    while (slack.posts.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(slack.posts.length, 1);
    assert.match(slack.posts[0]?.body ?? '', /effectiveness_mean:simulated:echo/);
    const firing = await server.request('GET', '/api/alerts');
    assert.ok(
      (firing.body.items as { name: string }[]).some((a) => a.name === 'MetricAnomalyDetected'),
    );
  });

  it('answers bad parameters with 422 naming the field, and unknown series with 404', async () => {
    const cases: [string, number, string][] = [
      ['/api/analytics/forecast?series=request_rate', 422, 'query.horizon'],
      ['/api/analytics/forecast?series=request_rate&horizon=soon', 422, 'query.horizon'],
      ['/api/analytics/forecast?horizon=1h', 422, 'query.series'],
      ['/api/analytics/forecast?series=request_rate&horizon=1h&range=90d', 422, 'query.range'],
      [
        '/api/analytics/forecast?series=request_rate&horizon=30d&step=1s&range=1h',
        422,
        'query.horizon',
      ],
      ['/api/analytics/forecast?query=up&horizon=1h', 422, 'query.query'],
      ['/api/analytics/series?series=request_rate&range=1d&step=1ms', 422, 'query.step'],
      ['/api/analytics/anomalies?severity=huge', 422, 'query.severity.0'],
      ['/api/analytics/anomalies?limit=0', 422, 'query.limit'],
      ['/api/analytics/anomalies?since=yesterday', 422, 'query.since'],
      ['/api/analytics/capacity?history=-1d', 422, 'query.history'],
      ['/api/analytics/series?colour=red', 422, 'query.colour'],
    ];
    for (const [path, status, field] of cases) {
      const response = await server.request('GET', path);
      assert.equal(response.status, status, `${path}: ${response.text}`);
      assert.ok(
        (response.body.error.fields as { field: string }[]).some((f) => f.field === field),
        `${path}: ${response.text}`,
      );
    }
    const unknown = await server.request('GET', '/api/analytics/forecast?series=nope&horizon=1h');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'PCS_ERR_ANALYTICS_SERIES_NOT_FOUND');
  });

  it('records only process and storage gauges when monitoring is off (no false zero rates)', async () => {
    const bare = await startTestServer({
      ENABLE_ADVANCED_ANALYTICS: 'true',
      ENABLE_MONITORING: 'false',
    });
    try {
      const analytics = bare.running.analytics;
      assert.ok(analytics);
      await analytics.sampleOnce();
      await bare.request('GET', '/api/prompt-cards');
      const values = await analytics.sampleOnce();
      assert.ok(values.has('process_rss_bytes') && values.has('database_size_bytes'));
      assert.equal(values.has('request_rate'), false);
      assert.equal(values.has('cost_usd_per_day'), false);
    } finally {
      await bare.dispose();
    }
  });

  it('is off (404 naming the switch) with ENABLE_ADVANCED_ANALYTICS=false', async () => {
    const off = await startTestServer({ ENABLE_ADVANCED_ANALYTICS: 'false' });
    try {
      const response = await off.request('GET', '/api/analytics/series');
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'PCS_ERR_ANALYTICS_DISABLED');
    } finally {
      await off.dispose();
    }
  });
});
