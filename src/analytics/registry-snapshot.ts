/**
 * Reads a RegistrySnapshot from the service's metrics (prom-client's `get()` of the few metrics
 * the series need) plus process gauges. Without metrics (ENABLE_MONITORING=false) only the
 * process and storage gauges are available.
 */
import type { Metrics } from '../telemetry/metrics/index.js';
import { emptySnapshot, type RegistrySnapshot } from './series-catalog.js';

interface Sample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number | undefined>>;
  readonly metricName?: string;
}

async function samples(metric: { get(): Promise<{ values: Sample[] }> }): Promise<Sample[]> {
  return (await metric.get()).values;
}

function sum(values: readonly Sample[], keep: (s: Sample) => boolean = () => true): number {
  let total = 0;
  for (const s of values) if (keep(s)) total += s.value;
  return total;
}

const named = (suffix: string) => (s: Sample) => s.metricName?.endsWith(suffix) === true;

export async function readSnapshot(
  metrics: Metrics | undefined,
  gauges: Readonly<Record<string, number | undefined>>,
  at: number,
): Promise<RegistrySnapshot> {
  if (metrics === undefined) return emptySnapshot(at, gauges);
  const [requests, latency, tests, effectiveness, tokens, durations, cost] = await Promise.all([
    samples(metrics.httpRequestsTotal),
    samples(metrics.httpRequestDuration),
    samples(metrics.testExecutions),
    samples(metrics.promptEffectiveness),
    samples(metrics.genAiTokenUsage),
    samples(metrics.genAiOperationDuration),
    samples(metrics.genAiCost),
  ]);
  const latencyBuckets = new Map<number, number>();
  for (const s of latency.filter(named('_bucket'))) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    latencyBuckets.set(le, (latencyBuckets.get(le) ?? 0) + s.value);
  }
  const byModel = new Map<string, { sum: number; count: number }>();
  for (const s of effectiveness) {
    const model = String(s.labels.model ?? '');
    const entry = byModel.get(model) ?? { sum: 0, count: 0 };
    if (named('_sum')(s)) entry.sum += s.value;
    else if (named('_count')(s)) entry.count += s.value;
    byModel.set(model, entry);
  }
  const tokenSums = tokens.filter(named('_sum'));
  return {
    at,
    requests: sum(requests),
    serverErrors: sum(requests, (s) => String(s.labels.status_code).startsWith('5')),
    latencyBuckets,
    testsPassed: sum(tests, (s) => s.labels.status === 'success'),
    // Results nothing judged are neither passes nor failures.
    testsTotal: sum(tests, (s) => s.labels.status !== 'not_judged'),
    effectiveness: byModel,
    outputTokens: sum(tokenSums, (s) => s.labels.gen_ai_token_type === 'output'),
    outputTokenReports: sum(
      tokens.filter(named('_count')),
      (s) => s.labels.gen_ai_token_type === 'output',
    ),
    allTokens: sum(tokenSums),
    modelSeconds: sum(durations, named('_sum')),
    costUsd: sum(cost),
    gauges,
  };
}
