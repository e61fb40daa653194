/**
 * The arithmetic of the OTLP soak's figures, apart so it can be tested:
 * - `trend(samples)`: the least-squares line through memory samples, as MiB per minute, with
 *   first, peak and last; "flat" in the bench is the trend of the second half of the ingest.
 * - `lagSummary(seconds)`: p50, p99 and max of accept-to-verdict lags (seconds).
 */

/** One memory reading: `atMs` since the ingest started, `mib` in MiB. */
export interface Sample {
  readonly atMs: number;
  readonly mib: number;
}

export interface Trend {
  /** Least-squares slope, MiB per minute (NaN with fewer than two distinct times). */
  readonly mibPerMinute: number;
  readonly firstMiB: number;
  readonly peakMiB: number;
  readonly lastMiB: number;
}

export function trend(samples: readonly Sample[]): Trend {
  const n = samples.length;
  const meanT = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const meanM = samples.reduce((s, x) => s + x.mib, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { atMs, mib } of samples) {
    covariance += (atMs - meanT) * (mib - meanM);
    variance += (atMs - meanT) ** 2;
  }
  return {
    mibPerMinute: variance === 0 ? Number.NaN : (covariance / variance) * 60_000,
    firstMiB: samples[0]?.mib ?? Number.NaN,
    peakMiB: Math.max(...samples.map((s) => s.mib)),
    lastMiB: samples.at(-1)?.mib ?? Number.NaN,
  };
}

/** The samples taken at or after half of `durationMs`. */
export function secondHalf(samples: readonly Sample[], durationMs: number): Sample[] {
  return samples.filter((s) => s.atMs >= durationMs / 2);
}

export interface LagSummary {
  readonly count: number;
  /** Seconds (nearest-rank percentiles). */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function lagSummary(lagsSeconds: readonly number[]): LagSummary {
  const sorted = [...lagsSeconds].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return {
    count: sorted.length,
    p50: rank(0.5),
    p99: rank(0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}
