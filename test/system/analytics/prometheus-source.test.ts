import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  hasBinary,
  scrapeOneInstance,
  startPrometheus,
  type Engine,
} from '../../support/engines.js';
import { waitFor } from '../../support/run-helpers.js';
import { requireService } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { closedPort } from '../../support/wire-server.js';

/**
 * PromQL series through the analytics API with the real Prometheus: it scrapes one instance
 * every second; another instance, with PROMETHEUS_URL, reads, forecasts and scans the series.
 */
describe('analytics on PromQL series from the real Prometheus', () => {
  let skip: string | undefined;
  let dir: { path: string; remove(): void };
  let scraped: TestServer;
  let analytics: TestServer;
  let prometheus: Engine | undefined;
  let traffic: NodeJS.Timeout | undefined;
  const QUERY = 'sum(http_requests_total)';

  before(async () => {
    skip = await requireService('prometheus (Debian package)', () =>
      hasBinary('prometheus') ? Promise.resolve() : Promise.reject(new Error('binary not found')),
    );
    if (skip !== undefined) return;
    dir = tempDir('pcs-prom-analytics-');
    scraped = await startTestServer();
    prometheus = await startPrometheus(dir.path, scrapeOneInstance(scraped.url));
    analytics = await startTestServer({
      ENABLE_ADVANCED_ANALYTICS: 'true',
      PROMETHEUS_URL: prometheus.url,
    });
    traffic = setInterval(() => {
      void scraped.request('GET', '/api/prompt-cards').catch(() => undefined);
      void scraped.request('GET', '/health').catch(() => undefined);
    }, 100);
    // Twelve seconds of scrapes.
    await waitFor(
      'twelve samples in Prometheus',
      async () => {
        const res = await analytics.request(
          'GET',
          `/api/analytics/series?query=${encodeURIComponent(QUERY)}&range=1m&step=1s`,
        );
        return res.status === 200 && res.body.points.length >= 12 ? true : undefined;
      },
      60_000,
    );
  });

  after(async () => {
    if (traffic !== undefined) clearInterval(traffic);
    await analytics?.dispose();
    await prometheus?.stop();
    await scraped?.dispose();
    dir?.remove();
  });

  it('reads the same points Prometheus answers to query_range', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const res = await analytics.request(
      'GET',
      `/api/analytics/series?query=${encodeURIComponent(QUERY)}&range=30s&step=1s`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.query, QUERY);
    const points = res.body.points as { t: string; v: number }[];
    assert.ok(points.length >= 10);
    // Counters only grow while the scraped instance runs.
    points.forEach((p, i) => i > 0 && assert.ok(p.v >= (points[i - 1]?.v ?? 0)));
    const first = points[0];
    assert.ok(first !== undefined);
    const start = Date.parse(first.t) / 1000;
    const direct = (await (
      await fetch(
        `${prometheus!.url}/api/v1/query_range?query=${encodeURIComponent(QUERY)}&start=${start}&end=${start}&step=1s`,
      )
    ).json()) as { data: { result: { values: [number, string][] }[] } };
    assert.equal(Number(direct.data.result[0]?.values[0]?.[1]), first.v);
  });

  it('forecasts and scans a PromQL series with the same code as stored series', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const forecast = await analytics.request(
      'GET',
      `/api/analytics/forecast?query=${encodeURIComponent(QUERY)}&horizon=10s&range=1m&step=1s`,
    );
    assert.equal(forecast.status, 200, forecast.text);
    assert.equal(forecast.body.forecast.length, 10);
    for (const f of forecast.body.forecast as { mean: number; lower: number; upper: number }[])
      assert.ok(Number.isFinite(f.mean) && f.lower <= f.mean && f.mean <= f.upper);
    // A growing counter is forecast to keep growing.
    const means = (forecast.body.forecast as { mean: number }[]).map((f) => f.mean);
    assert.ok((means[9] ?? 0) > (means[0] ?? 0));
    const scan = await analytics.request(
      'GET',
      `/api/analytics/anomalies?query=${encodeURIComponent(QUERY)}&range=1m&step=1s`,
    );
    assert.equal(scan.status, 200, scan.text);
    assert.ok(scan.body.points >= 12);
    assert.ok(Array.isArray(scan.body.anomalies));
  });

  it('returns Prometheus’s complaint as a 422 on query, and 502 when Prometheus is down', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const bad = await analytics.request(
      'GET',
      `/api/analytics/series?query=${encodeURIComponent('sum(')}&range=1m`,
    );
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.fields[0].field, 'query.query');
    assert.match(bad.body.error.fields[0].message, /parse error/);
    const many = await analytics.request(
      'GET',
      `/api/analytics/series?query=${encodeURIComponent('http_requests_total')}&range=1m`,
    );
    assert.equal(many.status, 422, many.text);
    assert.match(many.body.error.fields[0].message, /returns \d+ series; aggregate it/);

    const orphan = await startTestServer({
      ENABLE_ADVANCED_ANALYTICS: 'true',
      PROMETHEUS_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    try {
      const down = await orphan.request('GET', `/api/analytics/series?query=up&range=1m`);
      assert.equal(down.status, 502);
      assert.equal(down.body.error.code, 'PCS_ERR_ANALYTICS_SOURCE_UNAVAILABLE');
    } finally {
      await orphan.dispose();
    }
  });
});
