/**
 * Judges one sampled series by its kind (series-catalog.ts) and decides how loud an anomaly is,
 * so that a healthy service does not page:
 * - a `monotonic` total is judged by its growth per second over the last `growthSamples`
 *   samples (a steady growth is normal; a change in the rate is what deviates); a drop restarts
 *   the growth window (a reset, as Prometheus treats a counter that goes down);
 * - a `ratio` gets a scale of at least one percentage point and no "beyond the range seen" rule
 *   (its bounds, 0 and 1, are known); the value it expects is kept inside them;
 * - a monotonic total's growth rate is also judged with the detector's trend guard; levels are
 *   not (on NAB's development split the guard costs 9.6 points of the cross-validated standard
 *   score: a level that creeps past its range is often the anomaly). A steady trend of a level
 *   trips the range rule only within about 20 steps of its start (the grace period).
 * Severity: nothing alerts during the grace period (`graceSamples` after the first sample, after
 * a gap of more than `gapIntervals` sampling intervals and 10 s — a sampler that skipped a tick
 * on a busy machine is not a gap — after a reset, or after `restartGrace()`: a restart); a
 * deviation in the harmless direction, or on a series no operator acts on, is at most `low`;
 * one sample, however rare, is at most `medium`. `high` and `critical` need the deviation
 * sustained, as a Prometheus rule's `for:` does: every sample for `sustainMs` (60 s, whatever
 * the sampling interval; and at least `sustainSamples` samples) ≥ 3 robust spreads off in the
 * harmful direction, and the severity is the lowest that each of those samples earns on its
 * own: its own deviation ranked among the deviations before the incident (not among the
 * incident's own samples, nor the level-shift test's mean, which one spike holds up for a whole
 * shift window), a large deviation (20 % of the expected value; 5 points for a ratio) and enough
 * history to be that rare (n samples cannot show a deviation rarer than 1 in n + 1: 1,000 and
 * 3,334 samples at the default thresholds). An anomaly is raised when the point crosses the
 * threshold, and again (escalated) when a sustained deviation earns a higher severity than the
 * one already raised. Pure.
 */
import {
  StreamingAnomalyDetector,
  severityOf,
  type Severity,
  type SeverityThresholds,
} from './anomaly-detector.js';
import type { SeriesInfo } from './series-catalog.js';

export interface JudgeOptions {
  /** The score at or above which a point deviates. */
  readonly threshold: number;
  readonly severities: SeverityThresholds;
  /** The sampling interval, in ms (to recognise a gap). */
  readonly intervalMs: number;
  readonly graceSamples?: number;
  readonly gapIntervals?: number;
  /** Fewest samples a deviation must hold to page (with `sustainMs`). */
  readonly sustainSamples?: number;
  /** How long (ms) a deviation must hold to reach high or critical: a rule's `for:`. */
  readonly sustainMs?: number;
  readonly growthSamples?: number;
}

export interface Judgement {
  readonly score: number;
  /** The value the sample was expected to have. */
  readonly expected: number;
  /** The value judged: the sample, or the growth per second for a monotonic series. */
  readonly judged: number;
  /** What the judged value was expected to be, and its robust scale, in its unit. */
  readonly judgedExpected: number;
  readonly spread: number;
  /** Samples the baseline holds (the window the expectation comes from). */
  readonly baseline: number;
  readonly deviation: number;
  readonly kind: 'spike' | 'level_shift' | 'out_of_range' | 'growth_rate_change';
  /** Set when the point raises (or escalates) an anomaly. */
  readonly anomaly: boolean;
  readonly severity: Severity | null;
  /** Samples in a row, up to this one, each ≥ 3 spreads off in the harmful direction. */
  readonly sustained: number;
  /** How long (ms) that run has held: from its first sample to this one. */
  readonly heldMs: number;
}

const ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
const rank = (s: Severity | null) => (s === null ? -1 : ORDER.indexOf(s));
const lower = (a: Severity | null, cap: Severity) => (rank(a) > rank(cap) ? cap : a);
const RATIO_FLOOR = 0.01;
/** A shorter pause is a skipped tick, not a gap (1 s sampling on a busy machine skips ticks). */
const MIN_GAP_MS = 10_000;
/** A deviation this large (share of the expected value; for a ratio, absolute) may page. */
const LARGE_SHARE = 0.2;
const LARGE_RATIO = 0.05;
/** Robust z a point must keep to count towards a sustained deviation. */
const SUSTAIN_Z = 3;
/** A deviation pages only once held this long: Prometheus's common `for: 1m`. */
export const DEFAULT_SUSTAIN_MS = 60_000;
/** Deviations of a run kept for ranking its samples (the detector's history). */
const RUN_KEEP = 5000;
/** Quiet samples after which a deviation that resumes is a new one. */
const PAUSE_SAMPLES = 2;

export class SeriesJudge {
  private readonly detector: StreamingAnomalyDetector;
  private readonly options: Required<JudgeOptions>;
  private lastTime: number | undefined;
  private grace: number;
  private run = 0;
  private runStart = 0;
  /**
   * The detector's deviations of the run's samples, and of the runs before it with at most
   * PAUSE_SAMPLES between them (left out when ranking the run's own).
   */
  private runDeviations: number[] = [];
  /** Samples since the last deviating one. */
  private quiet = 0;
  /** The run's samples within the last `sustainMs`, with the severity each earns alone. */
  private held: { t: number; severity: Severity | null }[] = [];
  /** The highest severity raised in the current incident (null: none open). */
  private raised: Severity | null = null;
  private readonly growth: { t: number; v: number }[] = [];
  private seen = 0;

  constructor(
    readonly info: Pick<SeriesInfo, 'kind' | 'worse' | 'actionable'>,
    options: JudgeOptions,
  ) {
    this.options = {
      graceSamples: 30,
      gapIntervals: 3,
      sustainSamples: 3,
      sustainMs: DEFAULT_SUSTAIN_MS,
      growthSamples: 30,
      ...options,
    };
    this.grace = this.options.graceSamples;
    this.detector = new StreamingAnomalyDetector({
      threshold: options.threshold,
      severities: options.severities,
      trendGuard: info.kind === 'monotonic',
      ...(info.kind === 'ratio' ? { spreadFloor: RATIO_FLOOR, spatialTolerance: Infinity } : {}),
    });
  }

  /** Judges `value` sampled at `time` (ms since the epoch); null while a growth window fills. */
  update(value: number, time: number): Judgement | null {
    if (
      this.lastTime !== undefined &&
      time - this.lastTime >
        Math.max(this.options.gapIntervals * this.options.intervalMs, MIN_GAP_MS)
    )
      this.restartGrace();
    this.lastTime = time;
    const judged = this.info.kind === 'monotonic' ? this.growthRate(value, time) : value;
    if (judged === undefined) return null;
    const point = this.detector.update(judged, time);
    this.seen++;
    const up = judged >= point.expected;
    const harmful = this.info.worse === 'both' || (this.info.worse === 'up') === up;
    // Sustained means the points themselves keep deviating (not the level-shift test's mean,
    // which one spike holds up for a whole shift window).
    const own = point.spread > 0 ? Math.abs(judged - point.expected) / point.spread : 0;
    const deviates = harmful && own >= SUSTAIN_Z;
    if (this.grace > 0) this.grace--;
    // Large: an operator does not act on RSS 2 % above its usual level, however calm it was.
    const gap = Math.abs(judged - point.expected);
    const large =
      this.info.kind === 'ratio'
        ? gap >= LARGE_RATIO
        : gap >= LARGE_SHARE * Math.abs(point.expected);
    const capped = (score: number): Severity | null => {
      let severity = severityOf(score, this.options.severities);
      if (!harmful || !this.info.actionable) severity = lower(severity, 'low');
      if (!large) severity = lower(severity, 'medium');
      // n samples of history cannot show a deviation rarer than 1 in n + 1: a young series (or
      // an out-of-range value, which scores 1 at once) does not page before it could be that rare.
      const evidence = 1 - 1 / (this.seen + 1);
      if (evidence < this.options.severities.high) severity = lower(severity, 'medium');
      else if (evidence < this.options.severities.critical) severity = lower(severity, 'high');
      return severity;
    };
    // One sample, however rare, is at most medium.
    let severity = lower(capped(point.score), 'medium');
    const heldMs = this.track(deviates, time, point.deviation, () =>
      capped(
        Math.max(
          point.kind === 'out_of_range' ? point.score : 0,
          this.detector.rarity(own, this.runDeviations),
        ),
      ),
    );
    // Held for the whole `for:` window: the lowest severity any of its samples earns alone.
    const sustained =
      this.run >= this.options.sustainSamples && heldMs >= this.options.sustainMs
        ? this.held.reduce<Severity | null>(
            (low, h) => (rank(h.severity) < rank(low) ? h.severity : low),
            'critical',
          )
        : null;
    if (rank(sustained) > rank(severity)) severity = sustained;
    // A new incident opens at the detector's anomaly; an open one escalates, never repeats. A
    // value beyond the whole range seen opens one even in the detector's rest period: the rest
    // keeps one incident to one alert, and an incident's repeats stay within the range it set.
    const beyond =
      point.suppressed && point.kind === 'out_of_range' && point.score >= this.options.threshold;
    // A deviation held for the `for:` window raises too when no incident is open (one that
    // paused for a sample closed its incident, and the rest period hides its return).
    let anomaly = false;
    if (this.grace === 0 && severity !== null) {
      if ((point.anomaly || beyond) && this.raised === null) anomaly = true;
      else if (deviates && rank(severity) > rank(this.raised) && this.raised !== null)
        anomaly = true;
      else if (this.raised === null && rank(sustained) >= rank('high')) anomaly = true;
    }
    if (anomaly) this.raised = severity;
    // The incident closes when the series stops deviating (in the rest period too).
    else if (!deviates) this.raised = null;
    const judgedExpected =
      this.info.kind === 'ratio' ? Math.min(1, Math.max(0, point.expected)) : point.expected;
    const start = this.growth[0];
    const expected =
      this.info.kind === 'monotonic' && start !== undefined
        ? start.v + (judgedExpected * (time - start.t)) / 1000
        : judgedExpected;
    return {
      score: point.score,
      expected,
      judged,
      judgedExpected,
      spread: point.spread,
      baseline: Math.min(this.seen, this.detector.window),
      deviation: point.deviation,
      kind: this.info.kind === 'monotonic' ? 'growth_rate_change' : point.kind,
      anomaly,
      severity: anomaly ? severity : null,
      sustained: this.run,
      heldMs,
    };
  }

  /**
   * Counts the run of deviating samples, keeps its deviations and the severity each sample
   * earns alone (`alone`, computed after this sample's deviation joins the run's) over the last
   * `sustainMs`; a sample that does not deviate ends the run. Returns how long the run has held.
   */
  private track(
    deviates: boolean,
    time: number,
    deviation: number,
    alone: () => Severity | null,
  ): number {
    if (!deviates) {
      this.run = 0;
      this.held = [];
      // A pause of a sample or two ends the run (as a rule's `for:` restarts), not the
      // incident's deviations: the run that resumes is still ranked against the time before.
      if (++this.quiet > PAUSE_SAMPLES) this.runDeviations = [];
      return 0;
    }
    this.quiet = 0;
    if (this.run === 0) this.runStart = time;
    this.run++;
    this.runDeviations.push(deviation);
    if (this.runDeviations.length > RUN_KEEP) this.runDeviations.shift();
    this.held.push({ t: time, severity: alone() });
    while ((this.held[0]?.t ?? time) < time - this.options.sustainMs) this.held.shift();
    return time - this.runStart;
  }

  private endRun(): void {
    this.run = 0;
    this.quiet = 0;
    this.runDeviations = [];
    this.held = [];
  }

  /** Growth per second over the window, once it holds `growthSamples`; a drop empties it. */
  private growthRate(value: number, time: number): number | undefined {
    const previous = this.growth[this.growth.length - 1];
    if (previous !== undefined && value < previous.v) {
      this.growth.length = 0;
      this.restartGrace();
    }
    this.growth.push({ t: time, v: value });
    if (this.growth.length > this.options.growthSamples + 1) this.growth.shift();
    const first = this.growth[0];
    if (first === undefined || this.growth.length <= this.options.growthSamples) return undefined;
    return time > first.t ? ((value - first.v) * 1000) / (time - first.t) : undefined;
  }

  /** Starts a grace period (a gap, a reset, a restart after replaying history): no alert. */
  restartGrace(): void {
    this.grace = this.options.graceSamples;
    this.endRun();
  }
}
