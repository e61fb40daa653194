/**
 * The last `capacity` non-negative values of a stream as a log-spaced histogram (341 bins per
 * decade, so values within 0.7 % of each other share a bin and count as ties) counted by a
 * Fenwick tree: push, rank and quantile cost O(log bins) whatever the capacity. Eviction uses a
 * ring of bin numbers. The detector ranks deviations that span many decades, and reads a
 * residual scale from absolute residuals: both need relative, not absolute, precision, which is
 * why a histogram is exact enough and far cheaper than a sorted window.
 */
const BINS_PER_DECADE = 341;

/** Bin middles per (min, max): quantile() reads them instead of calling Math.exp per read. */
const MIDDLES = new Map<string, Float64Array>();

export class RankWindow {
  private readonly tree: Int32Array;
  private readonly ring: Int32Array;
  private readonly bins: number;
  private readonly minLog: number;
  private readonly perLog: number;
  private readonly topBit: number;
  private readonly middles: Float64Array;
  private next = 0;
  private count = 0;

  /** Values ≤ `min` share the lowest bin and values ≥ `max` the highest. */
  constructor(
    readonly capacity: number,
    readonly min = 1e-6,
    readonly max = 1e6,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    if (!(min > 0 && max > min)) throw new RangeError('need 0 < min < max');
    this.bins = Math.ceil(Math.log10(max / min) * BINS_PER_DECADE) + 2;
    this.minLog = Math.log(min);
    this.perLog = (this.bins - 2) / (Math.log(max) - this.minLog);
    this.tree = new Int32Array(this.bins + 1);
    this.ring = new Int32Array(capacity);
    this.topBit = 2 ** Math.floor(Math.log2(this.bins));
    const key = `${min}:${max}`;
    let middles = MIDDLES.get(key);
    if (middles === undefined) {
      middles = new Float64Array(this.bins + 1);
      for (let bin = 0; bin <= this.bins; bin++) middles[bin] = this.middleOf(bin);
      MIDDLES.set(key, middles);
    }
    this.middles = middles;
  }

  get size(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.capacity) this.add(this.ring[this.next] ?? 1, -1);
    else this.count++;
    const bin = this.binOf(value);
    this.ring[this.next] = bin;
    this.next = (this.next + 1) % this.capacity;
    this.add(bin, 1);
  }

  /** How many kept values are ≥ `value` (values in the same bin count as equal). */
  countAtLeast(value: number): number {
    let below = 0;
    for (let i = this.binOf(value) - 1; i > 0; i -= i & -i) below += this.tree[i] ?? 0;
    return this.count - below;
  }

  /** The p-quantile (nearest rank) to the bin's precision; NaN when empty. */
  quantile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.min(this.count, Math.max(1, Math.ceil(p * this.count)));
    // Fenwick descent: the largest prefix holding fewer than `rank` values, plus one.
    let position = 0;
    let remaining = rank;
    for (let step = this.topBit; step > 0; step >>= 1) {
      const probe = position + step;
      if (probe <= this.bins && (this.tree[probe] ?? 0) < remaining) {
        position = probe;
        remaining -= this.tree[probe] ?? 0;
      }
    }
    return this.middles[position + 1] ?? this.max;
  }

  /** Whether `countAtLeast(value)` counts `a` (a kept value ≥ `value`, ties by bin included). */
  countsAsAtLeast(a: number, value: number): boolean {
    return this.binOf(a) >= this.binOf(value);
  }

  private binOf(value: number): number {
    if (!(value > this.min)) return 1;
    if (value >= this.max) return this.bins;
    return 2 + Math.floor((Math.log(value) - this.minLog) * this.perLog);
  }

  /** The geometric middle of a bin. */
  private middleOf(bin: number): number {
    if (bin <= 1) return this.min;
    if (bin >= this.bins) return this.max;
    return Math.exp(this.minLog + (bin - 2 + 0.5) / this.perLog);
  }

  private add(bin: number, delta: number): void {
    for (let i = bin; i <= this.bins; i += i & -i) this.tree[i] = (this.tree[i] ?? 0) + delta;
  }
}
