/**
 * The last `capacity` values of a stream kept both in arrival order (a ring) and sorted, so a
 * quantile or a rank costs one binary search. Insertion and eviction move part of the sorted
 * array with `copyWithin` (a memmove): O(capacity) in theory, but a few hundred nanoseconds for
 * the few thousand values a detector keeps, cheaper than a balanced tree's allocations. Once
 * full, the evicted and the new value trade places in one move over the values between them,
 * which is short for a stream whose values change gradually.
 */
export class SortedWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.capacity) {
      const from = this.lowerBound(this.ring[this.next] ?? 0);
      const to = this.lowerBound(value);
      if (to > from) {
        this.sorted.copyWithin(from, from + 1, to);
        this.sorted[to - 1] = value;
      } else {
        this.sorted.copyWithin(to + 1, to, from);
        this.sorted[to] = value;
      }
      this.ring[this.next] = value;
      this.next = (this.next + 1) % this.capacity;
      return;
    }
    this.ring[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    const at = this.lowerBound(value);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = value;
    this.count++;
  }

  /** The p-quantile (0 ≤ p ≤ 1) by the nearest-rank rule; NaN when empty. */
  quantile(p: number): number {
    if (this.count === 0) return NaN;
    return this.sorted[Math.min(this.count - 1, Math.floor(p * this.count))] ?? NaN;
  }

  /** How many kept values are ≥ `value`. */
  countAtLeast(value: number): number {
    return this.count - this.lowerBound(value);
  }

  /** Index of the first sorted value ≥ `value`. */
  private lowerBound(value: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sorted[middle] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
