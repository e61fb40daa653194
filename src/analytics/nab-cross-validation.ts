/**
 * Cross-validation of the anomaly detector on a NAB corpus, so that no parameter is judged on the
 * files it was chosen on. Each file is streamed once per grid point (scores do not depend on the
 * threshold; only the rest period does). One detector serves all three NAB profiles, so a choice
 * is: the grid point with the best standard score, then each profile's best threshold there.
 * - leave-one-category-out: for every category, the choice made on the other categories detects
 *   on that category's files; the held-out files' raw scores, pooled, give the cross-validated
 *   score (the figure to expect on unseen series);
 * - leave-one-file-out, the same with single files (reported beside it: milder, since files of
 *   the same category stay in);
 * - in-sample: the choice made on the whole corpus (what the defaults are set to), and its score.
 * A large gap between the two means the choice is fitted to the files, not to the problem.
 */
import { StreamingAnomalyDetector, type AnomalyDetectorOptions } from './anomaly-detector.js';
import type { NabFile } from './nab-data.js';
import {
  NAB_PROFILES,
  normalizedScore,
  scoreDetections,
  type FileScore,
  type NabProfileName,
} from './nab-scorer.js';

export interface GridPoint {
  readonly name: string;
  readonly options: AnomalyDetectorOptions;
}

/** Thresholds tried: 0.98 … 0.9999 in steps fine enough for a rank among a few thousand. */
export const THRESHOLDS: readonly number[] = [
  ...Array.from({ length: 40 }, (_, i) => 0.98 + i * 0.0005),
  ...Array.from({ length: 20 }, (_, i) => 1 - 0.001 * 10 ** (-i / 20)),
];

export interface Choice {
  readonly grid: string;
  readonly threshold: number;
  readonly score: number;
}

export interface ProfileValidation {
  /** Pooled score of the held-out categories (leave one category out). */
  readonly cv: number;
  /** The same, leaving one file out at a time (a milder test: its category stays in). */
  readonly cvFiles: number;
  /** Best grid point and threshold on the whole corpus, with its score. */
  readonly inSample: Choice;
  /** Per held-out category: what the other categories chose (score: on those categories). */
  readonly folds: Record<string, Choice>;
  /** Per held-out category: the normalised score of its own files under that choice. */
  readonly foldScores: Record<string, number>;
}

/** Rows flagged when `scores` are thresholded and each detection starts a rest period. */
export function replayDetections(
  candidates: readonly number[],
  scores: Float64Array,
  threshold: number,
  restPeriod: number,
): number[] {
  const rows: number[] = [];
  let free = 0; // first row after the current rest period
  for (const i of candidates) {
    if (i < free || (scores[i] ?? 0) < threshold) continue;
    rows.push(i);
    free = i + restPeriod + 1;
  }
  return rows;
}

interface Streamed {
  readonly scores: Float64Array;
  /** Rows whose score reaches the lowest threshold tried. */
  readonly candidates: number[];
}

function stream(file: NabFile, options: AnomalyDetectorOptions): Streamed {
  const detector = new StreamingAnomalyDetector({ ...options, threshold: Infinity });
  const scores = Float64Array.from(file.values, (v, i) => detector.update(v, file.times[i]).score);
  const lowest = THRESHOLDS[0] ?? 0;
  const candidates: number[] = [];
  scores.forEach((s, i) => {
    if (s >= lowest) candidates.push(i);
  });
  return { scores, candidates };
}

export function crossValidateNab(
  corpus: readonly NabFile[],
  grid: readonly GridPoint[],
): Record<NabProfileName, ProfileValidation> {
  const streamed = grid.map((point) => corpus.map((file) => stream(file, point.options)));
  const names = Object.keys(NAB_PROFILES) as NabProfileName[];
  // tables[profile][g][t][f]: file f's score at grid point g and threshold t.
  const tables = {} as Record<NabProfileName, FileScore[][][]>;
  for (const name of names)
    tables[name] = grid.map((point, g) =>
      THRESHOLDS.map((threshold) =>
        corpus.map((file, f) => {
          const run = streamed[g]?.[f];
          const rows = replayDetections(
            run.candidates,
            run.scores,
            threshold,
            point.options.restPeriod ?? 100,
          );
          return scoreDetections(rows, file.values.length, file.windows, NAB_PROFILES[name]);
        }),
      ),
    );
  /** Best (grid point, threshold) for a profile among `points`, scored on the files `use` keeps. */
  const best = (name: NabProfileName, points: number[], use: (f: number) => boolean) => {
    let top = { g: 0, t: 0, score: -Infinity };
    for (const g of points)
      tables[name][g]?.forEach((files, t) => {
        const score = normalizedScore(
          files.filter((_, f) => use(f)),
          NAB_PROFILES[name],
        );
        if (score > top.score) top = { g, t, score };
      });
    return top;
  };
  // One detector serves every profile: the standard profile picks the grid point, then each
  // profile its threshold at that point.
  const everyPoint = grid.map((_, g) => g);
  const choose = (use: (f: number) => boolean) => {
    const { g } = best('standard', everyPoint, use);
    return Object.fromEntries(names.map((name) => [name, best(name, [g], use)])) as Record<
      NabProfileName,
      { g: number; t: number; score: number }
    >;
  };
  const choice = (top: { g: number; t: number; score: number }): Choice => ({
    grid: grid[top.g]?.name ?? '',
    threshold: THRESHOLDS[top.t] ?? 1,
    score: round(top.score),
  });
  /** Pooled held-out scores and each fold's choice when the files `foldOf` groups are held out. */
  const validate = (foldOf: (file: NabFile) => string) => {
    const heldOut = Object.fromEntries(names.map((n) => [n, [] as FileScore[]])) as Record<
      NabProfileName,
      FileScore[]
    >;
    const folds = Object.fromEntries(names.map((n) => [n, {}])) as Record<
      NabProfileName,
      Record<string, Choice>
    >;
    const foldScores = Object.fromEntries(names.map((n) => [n, {}])) as Record<
      NabProfileName,
      Record<string, number>
    >;
    for (const fold of new Set(corpus.map(foldOf))) {
      const chosen = choose((f) => foldOf(corpus[f]) !== fold);
      for (const name of names) {
        const top = chosen[name];
        folds[name][fold] = choice(top);
        const own: FileScore[] = [];
        corpus.forEach((file, f) => {
          if (foldOf(file) !== fold) return;
          heldOut[name].push(tables[name][top.g]?.[top.t]?.[f]);
          own.push(tables[name][top.g]?.[top.t]?.[f]);
        });
        foldScores[name][fold] = round(normalizedScore(own, NAB_PROFILES[name]));
      }
    }
    return { heldOut, folds, foldScores };
  };
  const byCategory = validate((file) => file.category);
  const byFile = validate((file) => file.name);
  const all = choose(() => true);
  const result = {} as Record<NabProfileName, ProfileValidation>;
  for (const name of names)
    result[name] = {
      cv: round(normalizedScore(byCategory.heldOut[name], NAB_PROFILES[name])),
      cvFiles: round(normalizedScore(byFile.heldOut[name], NAB_PROFILES[name])),
      inSample: choice(all[name]),
      folds: byCategory.folds[name],
      foldScores: byCategory.foldScores[name],
    };
  return result;
}

function round(value: number): number {
  return Number(value.toFixed(1));
}

/**
 * The detector settings the cross-validation chooses among (24): the daily offsets on or off, the
 * recurring-event discount 0 or 1, the level-shift test's weight 0.6 or 0.9, and the baseline
 * window 1,000 / 2,000 / 4,000 values. NAB's out-of-range rule keeps its published tolerance. The
 * detector's defaults are the in-sample choice.
 */
export const DETECTOR_GRID: readonly GridPoint[] = (['daily', 'off'] as const).flatMap(
  (seasonality) =>
    [0, 1].flatMap((recurringDiscount) =>
      [0.6, 0.9].flatMap((shiftWeight) =>
        [1000, 2000, 4000].map((window) => ({
          name: `seasonality ${seasonality}, recurring discount ${recurringDiscount}, shift weight ${shiftWeight}, window ${window}`,
          options: { seasonality, recurringDiscount, shiftWeight, window },
        })),
      ),
    ),
);
