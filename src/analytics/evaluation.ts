/**
 * Scores the analytics on labelled benchmark data laid out as in shared/datasets:
 * - NAB: `<dir>/labels.json` and `<dir>/data/<category>/<file>.csv`; every file is streamed
 *   through a fresh detector (no look-ahead) and scored with NAB's rules per profile, at the
 *   per-profile threshold fixed below; `nabCrossValidation` reports what the choice of settings
 *   and thresholds is worth on categories it was not made on (nab-cross-validation.ts).
 * - M4: `<dir>/Hourly-train.csv`, `Hourly-test.csv`, and for OWA `benchmark-forecasts/Naive2.csv`
 *   when present (else Naive2 is computed, naive2.ts); every series is forecast 48 steps, m = 24,
 *   the series forming one group (the global AR candidates pooled over their train parts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StreamingAnomalyDetector, type AnomalyDetectorOptions } from './anomaly-detector.js';
import { forecastSeries } from './forecaster.js';
import { fitForecastPool } from './global-pool.js';
import { readM4Series } from './m4-data.js';
import { naive2 as naive2Forecast } from './naive2.js';
import { owa, scoreForecasts, type SeriesForecast } from './m4-metrics.js';
import { crossValidateNab, DETECTOR_GRID } from './nab-cross-validation.js';
import { readNabCorpus, type NabFile } from './nab-data.js';
import { NAB_PROFILES, normalizedScore, scoreFile, type NabProfileName } from './nab-scorer.js';

/**
 * Each profile's in-sample choice of `crossValidateNab` over DETECTOR_GRID on the NAB development
 * split (bench/README.md), then fixed; `nabCrossValidation` reports what they are worth unseen.
 */
export const NAB_THRESHOLDS: Record<NabProfileName, number> = {
  standard: 0.995,
  reward_low_FP_rate: 0.9975,
  reward_low_FN_rate: 0.995,
};

export interface NabResult {
  readonly standard: number;
  readonly low_fp: number;
  readonly low_fn: number;
}

export interface M4Result {
  readonly smape: number;
  readonly mase: number;
  readonly owa: number;
  /** How often each candidate method was chosen. */
  readonly methods: Record<string, number>;
}

/** Detections of a stream scored by a detector built from `options` (each file starts afresh). */
function detections(file: NabFile, options: AnomalyDetectorOptions): boolean[] {
  const detector = new StreamingAnomalyDetector(options);
  return file.values.map((value, i) => detector.update(value, file.times[i]).anomaly);
}

export function evaluateNab(dir: string, options: AnomalyDetectorOptions = {}): NabResult {
  const corpus = readNabCorpus(dir);
  const score = (name: NabProfileName) => {
    const profile = NAB_PROFILES[name];
    const threshold = NAB_THRESHOLDS[name];
    const files = corpus.map((file) =>
      scoreFile(detections(file, { ...options, threshold }), file.windows, profile),
    );
    return round(normalizedScore(files, profile), 1);
  };
  return {
    standard: score('standard'),
    low_fp: score('reward_low_FP_rate'),
    low_fn: score('reward_low_FN_rate'),
  };
}

/**
 * Leave-one-category-out cross-validation of the detector's settings (DETECTOR_GRID) and
 * thresholds on `dir`: `cv` is the headline (held-out categories pooled), `leave_one_file_out`
 * the milder file-level figure, `in_sample` the score of the choice made on the whole corpus;
 * `chosen` names each profile's in-sample choice.
 */
export function nabCrossValidation(
  dir: string,
  base: AnomalyDetectorOptions = {},
): {
  scheme: 'leave-one-category-out';
  cv: NabResult;
  leave_one_file_out: NabResult;
  in_sample: NabResult;
  chosen: Record<NabProfileName, { grid: string; threshold: number }>;
  /** Per left-out category: the standard profile's inner choice and its left-out score. */
  folds: Record<string, { grid: string; threshold: number; inner: number; left_out: number }>;
} {
  const grid = DETECTOR_GRID.map((g) => ({ ...g, options: { ...base, ...g.options } }));
  const result = crossValidateNab(readNabCorpus(dir), grid);
  const pick = (key: 'cv' | 'files' | 'in_sample'): NabResult => {
    const of = (name: NabProfileName) =>
      key === 'cv'
        ? result[name].cv
        : key === 'files'
          ? result[name].cvFiles
          : result[name].inSample.score;
    return {
      standard: of('standard'),
      low_fp: of('reward_low_FP_rate'),
      low_fn: of('reward_low_FN_rate'),
    };
  };
  const chosen = {} as Record<NabProfileName, { grid: string; threshold: number }>;
  for (const name of Object.keys(result) as NabProfileName[]) {
    const { grid, threshold } = result[name].inSample;
    chosen[name] = { grid, threshold: Number(threshold.toFixed(6)) };
  }
  const folds: Record<
    string,
    { grid: string; threshold: number; inner: number; left_out: number }
  > = {};
  for (const [category, choice] of Object.entries(result.standard.folds))
    folds[category] = {
      grid: choice.grid,
      threshold: Number(choice.threshold.toFixed(6)),
      inner: choice.score,
      left_out: result.standard.foldScores[category] ?? NaN,
    };
  return {
    scheme: 'leave-one-category-out',
    folds,
    cv: pick('cv'),
    leave_one_file_out: pick('files'),
    in_sample: pick('in_sample'),
    chosen,
  };
}

/** Candidate thresholds for the sweep: coarse below 0.95, fine up to 1. */
const SWEEP = [
  ...Array.from({ length: 95 }, (_, i) => i * 0.01),
  ...Array.from({ length: 100 }, (_, i) => 0.95 + i * 0.0005),
  ...Array.from({ length: 120 }, (_, i) => 1 - 0.01 * 10 ** (-i / 30)),
];

/**
 * The best threshold per profile on `dir`. Scores do not depend on the threshold (only the rest
 * period does), so each file is scored once and the rest period is replayed per threshold.
 */
export function sweepNab(
  dir: string,
  options: AnomalyDetectorOptions = {},
): Record<NabProfileName, { threshold: number; score: number }> {
  const restPeriod = options.restPeriod ?? 100;
  const corpus = readNabCorpus(dir).map((file) => {
    const detector = new StreamingAnomalyDetector({ ...options, threshold: Infinity });
    return { file, scores: file.values.map((v, i) => detector.update(v, file.times[i]).score) };
  });
  const replay = (scores: number[], threshold: number) => {
    let rest = 0;
    return scores.map((score) => {
      if (rest > 0) {
        rest--;
        return false;
      }
      if (score < threshold) return false;
      rest = restPeriod;
      return true;
    });
  };
  const result = {} as Record<NabProfileName, { threshold: number; score: number }>;
  for (const name of Object.keys(NAB_PROFILES) as NabProfileName[]) {
    const profile = NAB_PROFILES[name];
    let best = { threshold: 1, score: -Infinity };
    for (const threshold of SWEEP) {
      const files = corpus.map(({ file, scores }) =>
        scoreFile(replay(scores, threshold), file.windows, profile),
      );
      const score = normalizedScore(files, profile);
      if (score > best.score) best = { threshold, score: round(score, 1) };
    }
    result[name] = best;
  }
  return result;
}

/**
 * Scores `forecaster` (default: the service's `forecastSeries`, the 60 series forming one group so
 * that the global AR candidates join, global-pool.ts) on the M4 set in `dir`.
 */
export function evaluateM4(
  dir: string,
  horizon = 48,
  period = 24,
  forecaster?: (
    values: readonly number[],
    horizon: number,
    period: number,
  ) => {
    method: string;
    mean: number[];
  },
): M4Result {
  const train = readM4Series(join(dir, 'Hourly-train.csv'));
  const test = readM4Series(join(dir, 'Hourly-test.csv'));
  // The global AR candidates are fitted on the train parts only (7 daily origins, as validated).
  const pool =
    forecaster === undefined ? fitForecastPool([...train.values()], horizon, 7, period) : undefined;
  const forecast =
    forecaster ??
    ((values: readonly number[], h: number, m: number) =>
      forecastSeries(values, h, { period: m, pool }));
  // The official Naive2 forecasts when the set ships them, else our Naive2 (same method).
  const naive2File = join(dir, 'benchmark-forecasts', 'Naive2.csv');
  const naive2 = existsSync(naive2File)
    ? readM4Series(naive2File)
    : new Map([...train].map(([id, values]) => [id, naive2Forecast(values, horizon, period)]));
  const methods: Record<string, number> = {};
  const ours: SeriesForecast[] = [];
  const benchmark: SeriesForecast[] = [];
  for (const [id, insample] of train) {
    const actual = test.get(id);
    const reference = naive2.get(id);
    if (actual === undefined || reference === undefined)
      throw new Error(`series ${id} has no test values or no Naive2 forecast`);
    const result = forecast(insample, horizon, period);
    methods[result.method] = (methods[result.method] ?? 0) + 1;
    ours.push({ insample, actual, forecast: result.mean });
    benchmark.push({ insample, actual, forecast: reference });
  }
  const score = scoreForecasts(ours, period);
  return {
    smape: round(score.smape, 2),
    mase: round(score.mase, 3),
    owa: round(owa(score, scoreForecasts(benchmark, period)), 3),
    methods,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
