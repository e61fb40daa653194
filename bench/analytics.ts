/**
 * `npm run bench:analytics`: accuracy of the detector and the forecaster on the development
 * splits (as `npm run eval:analytics`), next to simpler variants scored in the same run, and
 * their speed: scoring 1,000,000 streamed points, and fitting + forecasting a 1,000-point series.
 * Writes the figures to bench/README.md (section "analytics").
 */
import { StreamingAnomalyDetector } from '../src/analytics/anomaly-detector.js';
import { evaluateM4, evaluateNab, nabCrossValidation } from '../src/analytics/evaluation.js';
import { forecastSeries } from '../src/analytics/forecaster.js';
import { forecast as holtWinters } from '../src/analytics/holt-winters.js';
import { datasetDir } from '../test/support/datasets.js';
import { machineLine, writeSection } from './bench-report.js';

const nabDir = datasetDir('nab');
const m4Dir = datasetDir('m4-hourly');

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Milliseconds to stream `n` points through a fresh detector; best of `rounds`. */
function detectorMs(n: number, seasonality: 'daily' | 'off', rounds = 3): number {
  // Values stay inside their early range, so the out-of-range rule never short-cuts the work.
  const next = random(42);
  const values = Float64Array.from(
    { length: n },
    (_, i) => 100 + 10 * Math.sin(i / 50) + 5 * next(),
  );
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const detector = new StreamingAnomalyDetector({ seasonality });
    const started = performance.now();
    for (let i = 0; i < n; i++) detector.update(values[i] ?? 0, i * 15_000);
    times.push(performance.now() - started);
  }
  return Math.min(...times);
}

/** Median milliseconds to fit and forecast 48 steps of 1,000-point hourly series. */
function fitMs(fit: (values: number[]) => unknown, series = 15): number {
  const next = random(7);
  const times: number[] = [];
  for (let s = 0; s < series; s++) {
    const values = Array.from(
      { length: 1000 },
      (_, t) =>
        50 +
        0.01 * t +
        10 * Math.sin((2 * Math.PI * t) / 24) +
        4 * Math.sin((2 * Math.PI * t) / 168) +
        2 * next(),
    );
    const started = performance.now();
    fit(values);
    times.push(performance.now() - started);
  }
  return median(times);
}

const started = performance.now();
const nab = evaluateNab(nabDir);
const cv = nabCrossValidation(nabDir);
// The settings before cross-validation chose them (tuned in-sample on this split).
const nabPrevious = evaluateNab(nabDir, {
  seasonality: 'daily',
  shiftWeight: 0.6,
  spatialTolerance: Infinity,
});
const m4 = evaluateM4(m4Dir);
const m4HoltWinters = evaluateM4(m4Dir, 48, 24, (values, h, m) => ({
  method: 'holt_winters',
  mean: holtWinters(values, h, { period: m }).mean,
}));
const accuracySeconds = (performance.now() - started) / 1000;

const million = detectorMs(1_000_000, 'daily');
const millionPlain = detectorMs(1_000_000, 'off');
const hw = fitMs((v) => holtWinters(v, 48, { period: 24 }));
const chosen = fitMs((v) => forecastSeries(v, 48, { period: 24 }));

const body = `
## Analytics (\`npm run bench:analytics\`; accuracy also \`npm run eval:analytics -- --nab <dir> --m4 <dir>\`)

${machineLine()}. Scorers checked first against the published numbers (unit tests): NAB's
Windowed Gaussian on the development split gives 48.5 / 33.8 / 54.9, and the official M4 forecasts
give Naive2 19.347 / 2.097 and sNaive 16.636 / 1.245 / OWA 0.727.

**NAB development split** (32 files, 74 windows in 5 categories; streamed, no look-ahead).
Settings and thresholds are chosen by ${cv.scheme} cross-validation
(\`src/analytics/nab-cross-validation.ts\`): for each category, the grid point (daily offsets
on/off × NAB's out-of-range rule on/off × level-shift weight 0.6/0.9 × baseline window
1,000/4,000) and the threshold (0.98…0.9999) that score best on the other four categories detect
on it; the held-out files pooled give the **cross-validated** score, the figure to expect on
unseen series. The defaults are the choice made on the whole split (${cv.chosen.standard.grid};
thresholds ${cv.chosen.standard.threshold} / ${cv.chosen.reward_low_FP_rate.threshold} / ${cv.chosen.reward_low_FN_rate.threshold}), whose in-sample score is below:

| detector | standard | low FP | low FN |
| --- | --- | --- | --- |
| streaming detector, **cross-validated** (headline) | **${cv.cv.standard}** | **${cv.cv.low_fp}** | **${cv.cv.low_fn}** |
| streaming detector, in-sample (defaults) | ${nab.standard} | ${nab.low_fp} | ${nab.low_fn} |
| previous defaults (daily offsets, shift weight 0.6, no out-of-range rule), in-sample at these thresholds | ${nabPrevious.standard} | ${nabPrevious.low_fp} | ${nabPrevious.low_fn} |
| Numenta HTM (published, this split) | 69.7 | 63.5 | 73.9 |
| contextOSE / CAD OSE (published, this split) | 67.7 | 65.8 | 69.8 |
| Windowed Gaussian (published, this split) | 48.5 | 33.8 | 54.9 |

Goals (cross-validated ≥ 70 / 60 / 75, in-sample within 3 points) are **not met**: the gap of
about 7 points says the rank-and-rest-period detector is still fitted to the files. The previous
defaults, cross-validated the same way over one-at-a-time changes of their settings (14 grid
points), scored 62.8 / 48.6 / 67.4 (in-sample 67.7 / 56.7 / 73.0); the held-out split scored them
52.5 / 42.7 / 57.2. What was tried,
leave-one-category-out, standard profile: NAB's anomaly likelihood (rolling Gaussian tail of the
10-point mean of a raw score) over this detector's robust z (squashed four ways) 41–55; with the
out-of-range rule 53; over its rank score 47; means and maxima of 3–6 differently set detectors
51–64; the out-of-range rule at tolerance 0.05 / 0.1 / 0.2 on the previous defaults 70.0 / 67.6 /
67.5 (threshold-only cross-validation). CAD OSE was not ported: its context memory grows without
bound and it reads the file's minimum and maximum before the first point (look-ahead).

**M4 hourly development split** (60 series, h = 48, m = 24): validated choice among seasonal
naive, weekly naive, weekly means (plain and level-rescaled) and Holt-Winters:
**sMAPE ${m4.smape}, MASE ${m4.mase}, OWA ${m4.owa}** (goal OWA ≤ 0.42, **not met**; sNaive 16.636 /
1.245 / 0.727; Holt-Winters alone, same run: ${m4HoltWinters.smape} / ${m4HoltWinters.mase} / ${m4HoltWinters.owa}). Methods chosen: ${Object.entries(
  m4.methods,
)
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')}. Accuracy runs took ${accuracySeconds.toFixed(1)} s.

Tried and not kept (OWA on this split; the selection per series is validated on its own past, the
design choice on these 60 series): adding Theta (Hyndman–Billah form on the multiplicatively
adjusted series) 0.476, Theta at the weekly period 0.480, additive Holt-Winters at the weekly
period (168) 0.478, all three 0.475 (within noise of 0.479, so not kept); averaging the best 2 / 3
/ 4 validated candidates instead of taking the best 0.492 / 0.517 / 0.547 (with the three added
methods) and 0.506 / 0.530 (without); 2 / 5 / 7 validation folds instead of 3: 0.538 / 0.528 / 0.524.

**Speed** (same run):

| what | time | goal |
| --- | --- | --- |
| score 1,000,000 streamed points, seasonality 'off' (default) | ${(millionPlain / 1000).toFixed(2)} s | < 2 s |
| score 1,000,000 streamed points, daily offsets | ${(million / 1000).toFixed(2)} s (${(million / millionPlain).toFixed(2)}× the default) | |
| fit + forecast 48 steps of a 1,000-point series, Holt-Winters | ${hw.toFixed(1)} ms | < 50 ms |
| fit + forecast, validated choice (3 folds × 7 candidates + final fit) | ${chosen.toFixed(1)} ms (${(chosen / hw).toFixed(1)}× Holt-Winters) | |
`;
writeSection('analytics', body);
console.log(body);
