/**
 * `npx tsx bench/analytics-cost.ts [--samples 5760] [--interval 15]`: what the analytics cost
 * when on. One simulated day of sampling (5,760 samples at the default 15 s) of the real
 * AnalyticsService into a fresh SQLite database, under a steady load on a real metrics
 * registry, on a clock the bench advances (so a day takes seconds). Reports the CPU time per
 * sample (this process, user + system) against the interval, and the database growth per day
 * (raw samples, minute roll-ups and anomalies; before retention prunes raw samples after 24 h).
 * Prints one JSON line and writes the figures to bench/README.md (section "analytics-cost").
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlertDispatcher, AlertStore } from '../src/alerting/index.js';
import { AnalyticsService, AnalyticsStore } from '../src/analytics/index.js';
import { parseConfig } from '../src/config.js';
import { connectDatabase, migrateToLatest } from '../src/db/index.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { Metrics } from '../src/telemetry/metrics/index.js';
import { observeWithExemplar } from '../src/telemetry/metrics/observe.js';
import { tempDir } from '../test/support/temp-dir.js';
import { machineLine, writeSection } from './bench-report.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '5760' },
      interval: { type: 'string', default: '15' },
    },
  });
  const samples = Number(values.samples);
  const intervalSeconds = Number(values.interval);
  const dir = tempDir('pcs-bench-');
  const database = await connectDatabase(`sqlite:${join(dir.path, 'analytics.db')}`);
  await migrateToLatest(database.db, database.schema);
  const config = parseConfig({
    ENABLE_ADVANCED_ANALYTICS: 'true',
    ANALYTICS_SAMPLE_INTERVAL_SECONDS: String(intervalSeconds),
  }).analytics;
  const metrics = new Metrics({ defaultMetrics: false });
  const store = new AnalyticsStore(database.db, database.kind, config.rawRetentionMs);
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const service = new AnalyticsService({
    store,
    config,
    metrics,
    logger: silentLogger(),
    dataDir: dir.path,
    alerts: { store: new AlertStore(database.db), dispatcher: new AlertDispatcher([]) },
    now: () => clock,
  });

  let state = 7;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const sizeBefore = await store.databaseSizeBytes();
  let cpu = 0;
  for (let i = 0; i < samples; i++) {
    clock += intervalSeconds * 1000;
    for (let r = 0; r < 20 * intervalSeconds; r++) {
      const labels = {
        method: 'GET',
        route: '/api/cards',
        status_code: random() < 0.1 ? '404' : '200',
      };
      metrics.httpRequestsTotal.inc(labels);
      observeWithExemplar(metrics.httpRequestDuration, labels, 0.02 * (0.5 + random()));
    }
    const started = process.cpuUsage();
    await service.sampleOnce();
    const used = process.cpuUsage(started);
    cpu += used.user + used.system;
  }
  const grown = (await store.databaseSizeBytes()) - sizeBefore;
  const perDay = 86_400 / intervalSeconds / samples;
  const anomalies = await store.anomalies({ limit: 10_000 });
  const cpuPerSampleMs = cpu / 1000 / samples;
  const result = {
    samples,
    interval_seconds: intervalSeconds,
    series: (await store.list()).length,
    cpu_ms_per_sample: Number(cpuPerSampleMs.toFixed(2)),
    cpu_share_of_interval: Number((cpuPerSampleMs / (intervalSeconds * 1000)).toExponential(2)),
    storage_bytes_per_day: Math.round(grown * perDay),
    anomalies_by_series: Object.fromEntries(
      [...new Set(anomalies.map((a) => a.series))].map((series) => [
        series,
        anomalies
          .filter((a) => a.series === series)
          .map((a) => a.severity)
          .join(' '),
      ]),
    ),
    anomalies_by_severity: Object.fromEntries(
      ['low', 'medium', 'high', 'critical'].map((s) => [
        s,
        anomalies.filter((a) => a.severity === s).length,
      ]),
    ),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const bySeverity = Object.entries(result.anomalies_by_severity)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
  writeSection(
    'analytics-cost',
    `## Analytics cost (\`npx tsx bench/analytics-cost.ts\`)

${machineLine()}. One simulated day (${samples} samples at ${intervalSeconds} s) of the real
analytics service into a fresh SQLite database under a steady load (20 requests/s on a real
registry), on a clock the bench advances:

| what | figure |
| --- | --- |
| CPU per sample (${result.series} series), this process | ${result.cpu_ms_per_sample} ms (${result.cpu_share_of_interval} of one core at the interval) |
| database growth per day (raw samples, roll-ups, anomalies) | ${(result.storage_bytes_per_day / 1e6).toFixed(1)} MB |
| anomalies raised in the day | ${bySeverity} |

Raw samples are pruned after \`ANALYTICS_RAW_RETENTION_HOURS\` (24), roll-ups after
\`ANALYTICS_ROLLUP_RETENTION_DAYS\` (30). The anomalies are on the bench process's own heap,
memory, latency and disk series; none pages.`,
  );
  await database.close();
  dir.remove();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
