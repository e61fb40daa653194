/**
 * Streaming anomaly detector, pure and O(log n) per point apart from a memmove (see
 * SortedWindow). For each new value, with no look-ahead:
 *  1. baseline = rolling median of the last `window` values plus (`seasonality: 'daily'`, the
 *     default) a time-of-day offset learnt per hour slot, used while it explains the series (the
 *     seasonal spread is under `seasonalGate` × the plain spread), so a daily peak is not an
 *     anomaly;
 *  2. spread = a robust scale (IQR/1.349 of the values, or median |residual|/0.6745 with the
 *     daily offset; floored by a wide-quantile range so a mostly-constant series does not
 *     divide by zero);
 *  3. deviation = the larger of the point's |residual|/spread (a spike) and a level-shift test,
 *     |mean of the last `shiftWindow` (de-seasonalised) values − median|/spread·√n·`shiftWeight`
 *     (a t-like statistic), less `recurringDiscount` × the largest deviation at the same time of
 *     day one day and one week earlier (a recurring event, such as a nightly job, is expected;
 *     bounded: 768 fifteen-minute maxima);
 *  4. score = the deviation's rank among the last `history` deviations: 0.995 means only one
 *     point in 200 deviated this much. Ranking makes one threshold fit noisy and calm series;
 *     below `minDeviation` robust z the rank is scaled down (× deviation/minDeviation), so a calm
 *     series' ordinary wobbles, which are always "the largest lately", stay below threshold.
 *  5. a value outside the range seen so far, widened by `spatialTolerance` × that range on each
 *     side, scores 1 (kind 'out_of_range'): the "spatial anomaly" rule of NAB's Numenta HTM
 *     detector (numenta/NAB nab/detectors/numenta/numenta_detector.py, SPATIAL_TOLERANCE = 0.05),
 *     which keeps its published constant. It needs two numbers of state and no look-ahead;
 *     With `trendGuard` a value is out of range only if its step from the previous value is also
 *     larger than every step among the last `window` values, so a series that keeps moving the
 *     way it has been moving (a steady trend, even one that grows in page-sized steps) is never
 *     out of range;
 *  6. after an anomaly, `restPeriod` points are marked suppressed: one incident, one alert.
 * The defaults are the grid point that leave-one-category-out cross-validation on the NAB
 * development split selects when refitted on the whole split (nab-cross-validation.ts,
 * bench/README.md); its cross-validated score is the figure to expect on unseen series.
 */
import { RankWindow } from './rank-window.js';
import { SortedWindow } from './sorted-window.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface SeverityThresholds {
  readonly low: number;
  readonly medium: number;
  readonly high: number;
  readonly critical: number;
}

export interface AnomalyDetectorOptions {
  /** Values kept for the baseline and the spread. */
  readonly window?: number;
  /** Deviations kept for ranking the score. */
  readonly history?: number;
  /** Points averaged by the level-shift test. */
  readonly shiftWindow?: number;
  readonly shiftWeight?: number;
  /** Deviations (robust z) below this cannot score at full rank. */
  readonly minDeviation?: number;
  /** Points after an anomaly that raise no new one. */
  readonly restPeriod?: number;
  /** The score at or above which a point is an anomaly (and the rest period starts). */
  readonly threshold?: number;
  readonly severities?: SeverityThresholds;
  /** 'daily' (default) learns a time-of-day offset (needs timestamps); 'off' uses the median only. */
  readonly seasonality?: 'daily' | 'off';
  readonly seasonalGate?: number;
  /** Share of the range seen so far beyond which a new value is out of range; Infinity turns it off. */
  readonly spatialTolerance?: number;
  /**
   * Share of the deviation seen a day (or a week) earlier at the same time of day (±15 min) that
   * is subtracted before ranking: a daily job's spike is not an anomaly on its second day. 0 turns
   * it off; needs timestamps.
   */
  readonly recurringDiscount?: number;
  readonly recurringLags?: 'day' | 'day_week';
  /** Smallest spread (in the series' unit): a ratio's one percentage point, say. Default 0. */
  readonly spreadFloor?: number;
  /** Out of range also needs a step larger than any recent one (see step 5). Default off. */
  readonly trendGuard?: boolean;
}

export interface ScoredPoint {
  /** In [0, 1]; 0 during warm-up. */
  readonly score: number;
  /** The value the baseline expected. */
  readonly expected: number;
  /** Robust z of the stronger test. */
  readonly deviation: number;
  /** The robust scale the deviation is measured in (the series' unit); 0 during warm-up. */
  readonly spread: number;
  readonly kind: 'spike' | 'level_shift' | 'out_of_range';
  /** Set when score ≥ threshold and not in a rest period. */
  readonly anomaly: boolean;
  readonly severity: Severity | null;
  readonly suppressed: boolean;
}

export const DEFAULT_SEVERITIES: SeverityThresholds = {
  low: 0.99,
  medium: 0.995,
  high: 0.999,
  critical: 0.9997,
};

const SLOTS_PER_DAY = 24;
const DAY_MS = 86_400_000;
const BASELINE_WARMUP = 20;
const SCORE_WARMUP = 50;
const SEASON_RATE = 0.1;
const RECUR_BUCKET_MS = 900_000;
const RECUR_DAY = 96;
const RECUR_WEEK = 7 * RECUR_DAY;
const RECUR_RING = RECUR_WEEK + 2 * RECUR_DAY;

export class StreamingAnomalyDetector {
  private readonly values: SortedWindow;
  /** |value − median − daily offset|, for the seasonal spread. */
  private readonly residuals: RankWindow;
  private readonly deviations: RankWindow;
  private readonly recent: Float64Array;
  private recentNext = 0;
  private recentCount = 0;
  private recentSum = 0;
  private readonly offsets = new Float64Array(SLOTS_PER_DAY);
  private rest = 0;
  private readonly recurMax = new Float64Array(RECUR_RING);
  private readonly recurBucket = new Float64Array(RECUR_RING).fill(-1);
  private min = Infinity;
  private max = -Infinity;
  /** |step| between consecutive values, for the trend guard. */
  private readonly steps: RankWindow | undefined;
  private last: number | undefined;
  private readonly options: Required<AnomalyDetectorOptions>;

  constructor(options: AnomalyDetectorOptions = {}) {
    this.options = {
      window: 2000,
      history: 5000,
      shiftWindow: 24,
      shiftWeight: 0.9,
      minDeviation: 3,
      restPeriod: 100,
      threshold: DEFAULT_SEVERITIES.medium,
      severities: DEFAULT_SEVERITIES,
      seasonality: 'daily',
      seasonalGate: 0.7,
      spatialTolerance: 0.05,
      recurringDiscount: 1,
      recurringLags: 'day_week',
      spreadFloor: 0,
      trendGuard: false,
      ...options,
    };
    this.values = new SortedWindow(this.options.window);
    this.residuals = new RankWindow(this.options.window, 1e-12, 1e15);
    this.deviations = new RankWindow(this.options.history);
    this.recent = new Float64Array(this.options.shiftWindow);
    if (this.options.trendGuard) this.steps = new RankWindow(this.options.window, 1e-12, 1e15);
  }

  /** Values the baseline keeps. */
  get window(): number {
    return this.options.window;
  }

  /** Scores `value` observed at `time` (ms since the epoch; needed for the daily offsets). */
  update(value: number, time?: number): ScoredPoint {
    if (!Number.isFinite(value)) throw new RangeError('value must be a finite number');
    const slot =
      time === undefined || this.options.seasonality === 'off'
        ? -1
        : Math.floor((((time % DAY_MS) + DAY_MS) % DAY_MS) / (DAY_MS / SLOTS_PER_DAY));
    const outOfRange = this.outOfRange(value);
    if (this.values.size < BASELINE_WARMUP) {
      this.values.push(value);
      this.remember(value);
      return quiet(value);
    }
    const median = this.values.quantile(0.5);
    const floor = Math.max(1e-9 + Math.abs(median) * 1e-6, this.options.spreadFloor);
    const plainSpread = robustSpread(this.values, floor);
    const offset = slot < 0 ? 0 : (this.offsets[slot] ?? 0);
    const seasonalSpread =
      slot >= 0 && this.residuals.size >= 200 ? absoluteSpread(this.residuals, floor) : Infinity;
    const seasonal = seasonalSpread < this.options.seasonalGate * plainSpread;
    const expected = median + (seasonal ? offset : 0);
    const spread = seasonal ? seasonalSpread : plainSpread;

    const spike = Math.abs(value - expected) / spread;
    // The shift test averages de-seasonalised values, so a daily peak is not a shift.
    this.remember(value - (expected - median));
    const shiftMean = this.recentSum / this.recentCount - median;
    const shift =
      (Math.abs(shiftMean) / spread) * Math.sqrt(this.recentCount) * this.options.shiftWeight;
    const raw = Math.max(spike, shift);
    const past = time === undefined ? 0 : this.recurring(time, raw);
    const deviation = Math.max(0, raw - this.options.recurringDiscount * past);

    this.values.push(value);
    if (slot >= 0) {
      this.residuals.push(Math.abs(value - median - offset));
      this.offsets[slot] = offset + SEASON_RATE * (value - median - offset);
    }
    const atLeast = this.deviations.countAtLeast(deviation);
    const ranked = this.deviations.size;
    this.deviations.push(deviation);
    if (ranked < SCORE_WARMUP) return quiet(expected);

    const rank = 1 - (atLeast + 1) / (ranked + 1);
    const score = outOfRange
      ? 1
      : deviation >= this.options.minDeviation
        ? rank
        : (rank * deviation) / this.options.minDeviation;
    const suppressed = this.rest > 0;
    if (suppressed) this.rest--;
    const anomaly = !suppressed && score >= this.options.threshold;
    if (anomaly) this.rest = this.options.restPeriod;
    return {
      score,
      expected,
      deviation,
      spread,
      kind: outOfRange ? 'out_of_range' : shift > spike ? 'level_shift' : 'spike',
      anomaly,
      severity: anomaly ? severityOf(score, this.options.severities) : null,
      suppressed,
    };
  }

  /**
   * The rank of `deviation` (robust z) among the kept deviations other than `excluding` (values
   * pushed before, such as an ongoing incident's own), as the score ranks: 1 − (k + 1)/(n + 1),
   * k of the n others at least as large. In [0, 1); 0 while nothing else is kept. An incident's
   * own samples would otherwise make each new one look less rare than the one before.
   */
  rarity(deviation: number, excluding: readonly number[] = []): number {
    let own = 0;
    for (const x of excluding) if (this.deviations.countsAsAtLeast(x, deviation)) own++;
    const others = Math.max(0, this.deviations.size - excluding.length);
    if (others === 0) return 0;
    const atLeast = Math.min(others, Math.max(0, this.deviations.countAtLeast(deviation) - own));
    return 1 - (atLeast + 1) / (others + 1);
  }

  /**
   * The largest raw deviation seen one day and (with 'day_week') one week before `time`, within
   * ±15 minutes, from a ring of 15-minute buckets over eight days (768 maxima); records this one.
   */
  private recurring(time: number, deviation: number): number {
    const bucket = Math.floor(time / RECUR_BUCKET_MS);
    let past = 0;
    for (let lag = RECUR_DAY; lag <= RECUR_WEEK; lag += RECUR_WEEK - RECUR_DAY) {
      for (let at = bucket - lag - 1; at <= bucket - lag + 1; at++) {
        const i = ((at % RECUR_RING) + RECUR_RING) % RECUR_RING;
        if (this.recurBucket[i] === at) past = Math.max(past, this.recurMax[i] ?? 0);
      }
      if (this.options.recurringLags === 'day') break;
    }
    const i = ((bucket % RECUR_RING) + RECUR_RING) % RECUR_RING;
    if (this.recurBucket[i] !== bucket) {
      this.recurBucket[i] = bucket;
      this.recurMax[i] = deviation;
    } else this.recurMax[i] = Math.max(this.recurMax[i] ?? 0, deviation);
    return past;
  }

  /** Whether `value` lies beyond the range seen so far (widened by the tolerance); then widens it. */
  private outOfRange(value: number): boolean {
    const margin = (this.max - this.min) * this.options.spatialTolerance;
    let outside = this.max > this.min && (value > this.max + margin || value < this.min - margin);
    if (this.steps !== undefined && this.last !== undefined) {
      const step = Math.abs(value - this.last);
      // A step no larger than the largest recent one continues the series' own movement.
      if (outside && this.steps.size > 0 && step <= this.steps.quantile(1) * 1.01) outside = false;
      this.steps.push(step);
    }
    this.last = value;
    if (value > this.max) this.max = value;
    if (value < this.min) this.min = value;
    return outside;
  }

  private remember(value: number): void {
    if (this.recentCount === this.recent.length)
      this.recentSum -= this.recent[this.recentNext] ?? 0;
    else this.recentCount++;
    this.recent[this.recentNext] = value;
    this.recentSum += value;
    this.recentNext = (this.recentNext + 1) % this.recent.length;
  }
}

function robustSpread(window: SortedWindow, floor: number): number {
  const iqr = (window.quantile(0.75) - window.quantile(0.25)) / 1.349;
  const range = (window.quantile(0.99) - window.quantile(0.01)) / 20;
  return Math.max(iqr, range, floor);
}

/** The same scale from absolute residuals: median |r|/0.6745, floored by the 98th percentile/10. */
function absoluteSpread(window: RankWindow, floor: number): number {
  return Math.max(window.quantile(0.5) / 0.6745, window.quantile(0.98) / 10, floor);
}

export function severityOf(score: number, thresholds: SeverityThresholds): Severity | null {
  if (score >= thresholds.critical) return 'critical';
  if (score >= thresholds.high) return 'high';
  if (score >= thresholds.medium) return 'medium';
  if (score >= thresholds.low) return 'low';
  return null;
}

function quiet(expected: number): ScoredPoint {
  return {
    score: 0,
    expected,
    deviation: 0,
    spread: 0,
    kind: 'spike',
    anomaly: false,
    severity: null,
    suppressed: false,
  };
}
