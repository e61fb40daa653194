/**
 * `npm run bench:analytics`: accuracy of the detector and the forecaster on the development
 * splits (as `npm run eval:analytics`), next to simpler variants scored in the same run, and
 * their speed: scoring 1,000,000 streamed points, and fitting + forecasting a 1,000-point series.
 * Writes the figures to bench/README.md (section "analytics").
 */
import { cpus, loadavg } from 'node:os';
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
/**
 * Milliseconds to stream `n` points through a fresh detector, wall clock and CPU (this process's
 * user + system time: on a shared machine the wall clock also counts waiting for a core); best of
 * `rounds`.
 */
function detectorMs(
  n: number,
  seasonality: 'daily' | 'off',
  rounds = 3,
): { wall: number; cpu: number } {
  // Values stay inside their early range, so the out-of-range rule never short-cuts the work.
  const next = random(42);
  const values = Float64Array.from(
    { length: n },
    (_, i) => 100 + 10 * Math.sin(i / 50) + 5 * next(),
  );
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const detector = new StreamingAnomalyDetector({ seasonality });
    const usage = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < n; i++) detector.update(values[i] ?? 0, i * 15_000);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: Math.min(...wall), cpu: Math.min(...cpu) };
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
  window: 4000,
  shiftWeight: 0.6,
  spatialTolerance: Infinity,
  recurringDiscount: 0,
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
on/off × recurring-event discount 0/1 × level-shift weight 0.6/0.9 × baseline window
1,000/2,000/4,000; 24 points) with the best standard score on the other four categories, and each
profile's best threshold (0.98…0.9999) there, detect on it; the held-out files pooled give the
**cross-validated** score, the figure to expect on unseen series. Leaving one file out instead is
milder (files of the same category stay in). The defaults are the choice made on the whole split
(${cv.chosen.standard.grid}; thresholds ${cv.chosen.standard.threshold} /
${cv.chosen.reward_low_FP_rate.threshold} / ${cv.chosen.reward_low_FN_rate.threshold}), and their
in-sample score is the second row:

| detector | standard | low FP | low FN |
| --- | --- | --- | --- |
| streaming detector, **cross-validated, leave one category out** (headline) | **${cv.cv.standard}** | **${cv.cv.low_fp}** | **${cv.cv.low_fn}** |
| streaming detector, cross-validated, leave one file out | ${cv.leave_one_file_out.standard} | ${cv.leave_one_file_out.low_fp} | ${cv.leave_one_file_out.low_fn} |
| streaming detector, in-sample (defaults) | ${nab.standard} | ${nab.low_fp} | ${nab.low_fn} |
| previous defaults (window 4,000, shift weight 0.6, no out-of-range rule, no recurring discount), in-sample at today's thresholds | ${nabPrevious.standard} | ${nabPrevious.low_fp} | ${nabPrevious.low_fn} |
| Numenta HTM (published, this split) | 69.7 | 63.5 | 73.9 |
| contextOSE / CAD OSE (published, this split) | 67.7 | 65.8 | 69.8 |
| Windowed Gaussian (published, this split) | 48.5 | 33.8 | 54.9 |

The method: the previous detector (rolling median and daily offsets, robust spread, spike and
level-shift tests, deviation ranked among the last 5,000, rest period 100) with two additions,
both bounded and without look-ahead. (1) NAB's "spatial anomaly" rule from its Numenta detector:
a value beyond the range seen so far by more than 5 % of it (the published constant) scores 1.
(2) A recurring-event discount: the largest deviation seen one day and one week earlier at the
same time of day (±15 min; a ring of 768 fifteen-minute maxima) is subtracted before ranking, so
a nightly job or a weekly peak stops firing after its first occurrence (on this split it removed
the daily false alarms of ec2_cpu_utilization_24ae8d / c6585a and the weekly ones of nyc_taxi).

Goals: cross-validated ≥ 70 / 60 / 75 are met; in-sample within 3 points of it holds for
standard (3.0) and low FN (2.4), not for low FP (7.5: its threshold, 0.9975, is chosen on few
windows). Caveat: the grid itself was revised twice after seeing cross-validated results on this
split, so the headline carries some second-level selection and is somewhat optimistic. Grid 1
(daily offsets × out-of-range rule on/off × shift weight × window 1,000/4,000): 64.3 / 52.7 / 69.4
(in-sample 71.7 / 65.2 / 76.2). Grid 2 (adds the recurring discount 0/0.5/1, window 4,000): 68.2 /
62.3 / 73.3 (in-sample 73.9 / 69.5 / 77.6). Grid 3, above, after a one-at-a-time sensitivity run
(history 2,500/10,000, rest 50/150, shift window 12/48, minimum deviation 2/4, window 2,000/8,000;
only window 2,000 stood out). The previous defaults, cross-validated over one-at-a-time changes of
their settings (14 points), scored 62.8 / 48.6 / 67.4 (in-sample 67.7 / 56.7 / 73.0); the
held-out split scored them 52.5 / 42.7 / 57.2. Tried and dropped (leave one category out,
standard): NAB's anomaly likelihood (rolling Gaussian tail of the 10-point mean of a raw score,
learning period 150–750, history 2,000/8,640) over the robust z of a fast baseline (windows
100–2,000) 57–65, over the rank score 47; a bounded CAD-like context model (discretised values,
last 2–3 levels as context, counts halved past 1,000) under the likelihood 49–56; the likelihood
OR'ed with the rank score 66.6–68.8; means and maxima of 3–6 differently set detectors 51–64;
smoothing the score-versus-threshold curve before choosing (±1–3 steps) no gain. CAD OSE itself
was not ported: its context memory grows without bound and it reads the file's minimum and maximum
before the first point (look-ahead).

**M4 hourly development split** (60 series, h = 48, m = 24): validated choice among seasonal
naive, seasonal naive with a drift per day (new), weekly naive, weekly means (plain and
level-rescaled) and Holt-Winters, by the least total sMAPE over 7 validation origins one day apart
(new; was 3 origins 48 h apart), each holding out the next 48 h of the series' own past:
**sMAPE ${m4.smape}, MASE ${m4.mase}, OWA ${m4.owa}** (goal OWA ≤ 0.42, **not met**; before: 9.89 /
0.935 / 0.479; sNaive 16.636 / 1.245 / 0.727; Holt-Winters alone, same run: ${m4HoltWinters.smape} /
${m4HoltWinters.mase} / ${m4HoltWinters.owa}). Methods chosen: ${Object.entries(m4.methods)
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')}. Accuracy runs took ${accuracySeconds.toFixed(1)} s.

How the changes were kept: the drift candidate moved OWA from 0.479 to 0.469 (a single yes/no
design choice over 60 series). The validation scheme was chosen by a 5-fold cross-validation
across series (choose the scheme on 48 series, score the other 12; four different splits): the
schemes 3 origins 48 h apart 0.469, 5 / 7 / 10 / 14 / 21 origins 24 h apart 0.456 / 0.447 / 0.469 /
0.459 / 0.466, 3 origins 24 h apart 0.539, 5 / 7 origins 48 h apart 0.527 / 0.518, 12 origins 12 h
apart 0.468; 7 origins 24 h apart was chosen in every fold of every split, cross-validated OWA
0.447. Holt-Winters' parameters are searched once on the earliest validation cut and rerun on the
later cuts (same OWA as searching at every cut, a third of the time).

What limits it: picking the best candidate per series after the fact would give about 0.40, so the
choice, not the candidates, is the weak part; the largest MASE terms are smooth 960-point series
(H269, H321) whose daily shape is nearly exact, so the in-sample scale is tiny and a 0.1 drift in
the test days costs MASE 3–5. Tried and not kept (OWA on this split, 3 origins 48 h apart): Theta
(Hyndman–Billah form on the multiplicatively adjusted series) 0.476, Theta at the weekly period
0.480, additive Holt-Winters at the weekly period 0.478, all three 0.475; Taylor's double-seasonal
(daily + weekly) Holt-Winters, alone 0.829, on logs 0.675 (0.650 with an AR(1) error), as a
candidate 0.482; the median of the last 3 weeks, weekly profile × smoothed level, level ratio over
2 days or a week: 0.481–0.486; averaging the best 2 / 3 / 4 validated candidates instead of taking
the best 0.492 / 0.517 / 0.547 (with Theta and weekly Holt-Winters) and 0.506 / 0.530 (without);
choosing by sMAPE + scaled MAE instead of sMAPE: no change. Selection rules over the same 8
candidates and 7 origins (\`npx tsx bench/m4-selection.ts <dir>\`, 5 s; OWA on the 60 series, then
cross-validated: the rule chosen on 48 series and scored on the other 12, 5 folds, four splits):
aggregating the origins' sMAPE by their median 0.455, without the worst origin 0.460, decayed
0.9 / 0.8 / 0.7 per day back 0.452 / 0.456 / 0.456, the worst origin 0.526; keeping one default
method (seasonal naive, with drift, weekly naive, weekly mean of 3, weekly rescaled of 3 or
Holt-Winters) unless the best is 2 / 5 / 10 / 20 % better: best 0.445 (with drift, 10 %), most
0.447–0.460; the mean or median of every candidate within 2–30 % of the best: 0.448–0.480. Chosen
among all these by the cross-validation: 0.461 / 0.454 / 0.460 / 0.465 (mean 0.460), worse than
the fixed rule's 0.447, so the in-sample 0.002 is selection noise. None kept; the oracle choice
is 0.389.

**Speed** (same run; 1-minute load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores
at the end, so on a shared machine these are upper bounds):

| what | time | goal |
| --- | --- | --- |
| score 1,000,000 streamed points, defaults (daily offsets, recurring discount) | ${(million.wall / 1000).toFixed(2)} s wall, ${(million.cpu / 1000).toFixed(2)} s CPU | < 2 s |
| score 1,000,000 streamed points, seasonality 'off' | ${(millionPlain.wall / 1000).toFixed(2)} s wall, ${(millionPlain.cpu / 1000).toFixed(2)} s CPU (the defaults cost ${(million.cpu / millionPlain.cpu).toFixed(2)}× this) | |
| fit + forecast 48 steps of a 1,000-point series, Holt-Winters alone | ${hw.toFixed(1)} ms | |
| fit + forecast, validated choice (7 origins × 8 candidates, 2 Holt-Winters searches) | ${chosen.toFixed(1)} ms (${(chosen / hw).toFixed(1)}× Holt-Winters) | < 50 ms |
`;
writeSection('analytics', body);
console.log(body);
