/**
 * A latency sketch for percentiles: a fixed logarithmic histogram (the index mapping of
 * DDSketch, Masson et al., VLDB 2019) kept as bucket → count. A value x > 0 falls in bucket
 * k = ⌈log_γ x⌉ with γ = (1 + α) / (1 − α), α = `LATENCY_RELATIVE_ACCURACY` (1 %); bucket k stands
 * for 2γᵏ / (γ + 1), which is within α of every value in (γᵏ⁻¹, γᵏ]. Values at or below
 * `LATENCY_MIN_MS` (a microsecond) go to `ZERO_BUCKET`, which stands for 0.
 *
 * The buckets are fixed, so a sketch is the same however its values arrive: sketches add
 * bucket by bucket (that is how the store keeps one per run and model, one row per bucket),
 * and the sketch kept as results arrive equals the one recomputed from the rows. A percentile
 * is the linear interpolation (type 7, as `percentile` in run-summary.ts) between the bucket
 * values of the two ranks it lies between, so it is within α (relative) of the exact one.
 */

/** Relative accuracy α of a percentile read from a sketch. */
export const LATENCY_RELATIVE_ACCURACY = 0.01;
/** Values at or below this (milliseconds) count as 0. */
export const LATENCY_MIN_MS = 0.001;
/** The bucket of values at or below `LATENCY_MIN_MS`. */
export const ZERO_BUCKET = -1_000_000;

const GAMMA = (1 + LATENCY_RELATIVE_ACCURACY) / (1 - LATENCY_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);

/** bucket → count of values in it. */
export type LatencySketch = ReadonlyMap<number, number>;

/** The bucket of a latency in milliseconds. */
export function latencyBucket(ms: number): number {
  if (!(ms > LATENCY_MIN_MS)) return ZERO_BUCKET;
  return Math.ceil(Math.log(ms) / LN_GAMMA);
}

/** The value (milliseconds) a bucket stands for. */
export function bucketValue(bucket: number): number {
  if (bucket === ZERO_BUCKET) return 0;
  return (2 * Math.pow(GAMMA, bucket)) / (GAMMA + 1);
}

/** The sketch of some latencies (milliseconds). */
export function sketchOf(latencies: Iterable<number>): Map<number, number> {
  const sketch = new Map<number, number>();
  for (const ms of latencies) {
    const bucket = latencyBucket(ms);
    sketch.set(bucket, (sketch.get(bucket) ?? 0) + 1);
  }
  return sketch;
}

/**
 * The p-th percentile (0 ≤ p ≤ 1) of the sketched values, interpolated between the values at
 * the two ranks it lies between (type 7); null for an empty sketch.
 */
export function sketchPercentile(sketch: LatencySketch, p: number): number | null {
  const buckets = [...sketch.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const position = (count - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = valueAtRank(buckets, lower);
  const b = valueAtRank(buckets, upper);
  return a + (b - a) * (position - lower);
}

/** The bucket value of the value at a 0-based rank of sorted buckets. */
function valueAtRank(buckets: readonly (readonly [number, number])[], rank: number): number {
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (rank < seen) return bucketValue(bucket);
  }
  const last = buckets.at(-1);
  return last === undefined ? 0 : bucketValue(last[0]);
}
