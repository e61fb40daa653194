/**
 * The series the sampler records, and how each is derived from two snapshots of the app's own
 * registry taken `Δt` apart (counters become rates and ratios over the interval; histograms
 * become interval means or quantiles; gauges are read as they are). Pure: the snapshot is
 * plain data, so the derivations are tested without a clock or a registry.
 */

export type SeriesUnit =
  | 'per_second'
  | 'ratio'
  | 'seconds'
  | 'bytes'
  | 'usd_per_day'
  | 'score'
  | 'tokens_per_second'
  | 'tokens_per_hour';

/**
 * What a series is, which decides how the detector judges it (series-judge.ts):
 * - `level`: a value read as it is (latency, memory); judged by its distribution;
 * - `rate`: a per-time amount (requests per second, spend per day); judged like a level, and
 *   idle periods are ordinary;
 * - `monotonic`: a total that grows by design (database size); judged by its growth rate per
 *   second, so a steady growth is normal and only a change in the rate deviates; a drop is a
 *   reset (a new baseline), not an anomaly;
 * - `ratio`: a share bounded in [0, 1]; judged against its bounds, with a scale of at least
 *   one percentage point so that an always-zero ratio does not make any change infinite.
 */
export type SeriesKind = 'level' | 'rate' | 'monotonic' | 'ratio';

/** The direction in which a change of the series hurts (`both`: either way). */
export type Worse = 'up' | 'down' | 'both';

export interface SeriesInfo {
  readonly name: string;
  readonly unit: SeriesUnit;
  readonly description: string;
  readonly kind: SeriesKind;
  readonly worse: Worse;
  /**
   * Whether an operator acts on this series (it may reach `high` and `critical`); the others
   * inform and stay at `low`.
   */
  readonly actionable: boolean;
}

/** Fixed series; `effectiveness_mean:<model>` series are added per model seen. */
export const SERIES: readonly SeriesInfo[] = [
  {
    name: 'request_rate',
    unit: 'per_second',
    description: 'HTTP requests per second',
    kind: 'rate',
    worse: 'both',
    actionable: false,
  },
  {
    name: 'error_ratio',
    unit: 'ratio',
    description: 'Share of HTTP requests answered 5xx',
    kind: 'ratio',
    worse: 'up',
    actionable: true,
  },
  {
    name: 'latency_p95_seconds',
    unit: 'seconds',
    description: '95th percentile HTTP latency over the interval',
    kind: 'level',
    worse: 'up',
    actionable: true,
  },
  {
    name: 'test_success_rate',
    unit: 'ratio',
    description: 'Share of test executions that passed',
    kind: 'ratio',
    worse: 'down',
    actionable: true,
  },
  {
    name: 'output_tokens_per_second',
    unit: 'tokens_per_second',
    description: 'Output tokens per second of model time (generation speed)',
    kind: 'level',
    worse: 'down',
    actionable: false,
  },
  {
    name: 'token_spend_per_hour',
    unit: 'tokens_per_hour',
    description: 'Input + output tokens per hour',
    kind: 'rate',
    worse: 'up',
    actionable: false,
  },
  {
    name: 'cost_usd_per_day',
    unit: 'usd_per_day',
    description: 'Model spend at the interval’s rate, per day',
    kind: 'rate',
    worse: 'up',
    actionable: false,
  },
  {
    name: 'process_rss_bytes',
    unit: 'bytes',
    description: 'Resident memory of the service',
    kind: 'level',
    worse: 'up',
    actionable: true,
  },
  {
    name: 'heap_used_bytes',
    unit: 'bytes',
    description: 'V8 heap in use',
    kind: 'level',
    worse: 'up',
    actionable: false,
  },
  {
    name: 'event_loop_delay_p99_seconds',
    unit: 'seconds',
    description: 'Event-loop delay, 99th percentile',
    kind: 'level',
    worse: 'up',
    actionable: true,
  },
  {
    name: 'database_size_bytes',
    unit: 'bytes',
    description: 'Size of the database',
    kind: 'monotonic',
    worse: 'up',
    actionable: false,
  },
  {
    name: 'disk_free_bytes',
    unit: 'bytes',
    description: 'Free space on the data volume',
    kind: 'level',
    worse: 'down',
    actionable: false,
  },
];

export const EFFECTIVENESS_PREFIX = 'effectiveness_mean:';

export function seriesInfo(name: string): SeriesInfo | undefined {
  const fixed = SERIES.find((s) => s.name === name);
  if (fixed !== undefined) return fixed;
  if (name.startsWith(EFFECTIVENESS_PREFIX) && name.length > EFFECTIVENESS_PREFIX.length)
    return {
      name,
      unit: 'score',
      description: `Mean effectiveness score of ${name.slice(EFFECTIVENESS_PREFIX.length)}`,
      kind: 'ratio',
      worse: 'down',
      actionable: true,
    };
  return undefined;
}

/** Cumulative counters and current gauges at one instant. */
export interface RegistrySnapshot {
  readonly at: number;
  readonly requests: number;
  readonly serverErrors: number;
  /** Cumulative bucket counts of the HTTP duration histogram by upper bound (seconds). */
  readonly latencyBuckets: ReadonlyMap<number, number>;
  readonly testsPassed: number;
  readonly testsTotal: number;
  readonly effectiveness: ReadonlyMap<string, { sum: number; count: number }>;
  readonly outputTokens: number;
  /** How many calls reported their output tokens (a call without a count adds nothing). */
  readonly outputTokenReports: number;
  readonly allTokens: number;
  readonly modelSeconds: number;
  readonly costUsd: number;
  readonly gauges: Readonly<Record<string, number | undefined>>;
}

/** A snapshot with no counted activity: the start of a registry, or no registry at all. */
export function emptySnapshot(
  at: number,
  gauges: RegistrySnapshot['gauges'] = {},
): RegistrySnapshot {
  return {
    at,
    requests: 0,
    serverErrors: 0,
    latencyBuckets: new Map(),
    testsPassed: 0,
    testsTotal: 0,
    effectiveness: new Map(),
    outputTokens: 0,
    outputTokenReports: 0,
    allTokens: 0,
    modelSeconds: 0,
    costUsd: 0,
    gauges,
  };
}

/** The gauges that have a finite value, as series. */
export function gaugeSeries(gauges: RegistrySnapshot['gauges']): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, value] of Object.entries(gauges))
    if (value !== undefined && Number.isFinite(value)) out.set(name, value);
  return out;
}

/** Counter increase, treating a drop as a restart from zero (as Prometheus's rate() does). */
function increase(current: number, previous: number): number {
  return current >= previous ? current - previous : current;
}

/** Linear interpolation inside the bucket holding the quantile, as histogram_quantile() does. */
export function bucketQuantile(
  q: number,
  buckets: ReadonlyMap<number, number>,
): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? buckets.get(bounds[bounds.length - 1] ?? Infinity) ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank) {
      if (bound === Infinity) return lowerBound; // beyond the last finite bucket
      const inBucket = count - lowerCount;
      return inBucket <= 0
        ? bound
        : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** The series values over the interval between two snapshots; series without data are absent. */
export function deriveSeries(
  previous: RegistrySnapshot,
  current: RegistrySnapshot,
): Map<string, number> {
  const out = new Map<string, number>();
  const seconds = (current.at - previous.at) / 1000;
  if (seconds <= 0) return out;
  const requests = increase(current.requests, previous.requests);
  out.set('request_rate', requests / seconds);
  if (requests > 0) {
    out.set('error_ratio', increase(current.serverErrors, previous.serverErrors) / requests);
    const delta = new Map<number, number>();
    for (const [bound, count] of current.latencyBuckets)
      delta.set(bound, increase(count, previous.latencyBuckets.get(bound) ?? 0));
    const p95 = bucketQuantile(0.95, delta);
    if (p95 !== undefined) out.set('latency_p95_seconds', p95);
  }
  const tests = increase(current.testsTotal, previous.testsTotal);
  if (tests > 0)
    out.set('test_success_rate', increase(current.testsPassed, previous.testsPassed) / tests);
  for (const [model, now] of current.effectiveness) {
    const before = previous.effectiveness.get(model) ?? { sum: 0, count: 0 };
    const count = increase(now.count, before.count);
    if (count > 0)
      out.set(`${EFFECTIVENESS_PREFIX}${model}`, increase(now.sum, before.sum) / count);
  }
  const modelSeconds = increase(current.modelSeconds, previous.modelSeconds);
  // Without a single token count in the window the rate is unknown, not 0.
  if (modelSeconds > 0 && increase(current.outputTokenReports, previous.outputTokenReports) > 0)
    out.set(
      'output_tokens_per_second',
      increase(current.outputTokens, previous.outputTokens) / modelSeconds,
    );
  out.set(
    'token_spend_per_hour',
    (increase(current.allTokens, previous.allTokens) * 3600) / seconds,
  );
  out.set('cost_usd_per_day', (increase(current.costUsd, previous.costUsd) * 86_400) / seconds);
  for (const [name, value] of gaugeSeries(current.gauges)) out.set(name, value);
  return out;
}
