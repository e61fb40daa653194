/**
 * `npm run bench:analytics`: accuracy of the detector and the forecaster on the development
 * splits (as `npm run eval:analytics`), next to simpler variants scored in the same run, and
 * their speed: scoring 1,000,000 streamed points, and fitting + forecasting a 1,000-point series.
 * Writes the figures to bench/README.md (section "analytics").
 */
import { StreamingAnomalyDetector } from '../src/analytics/anomaly-detector.js';
import { evaluateM4, evaluateNab } from '../src/analytics/evaluation.js';
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
const nabPlain = evaluateNab(nabDir, { seasonality: 'off' });
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

**NAB development split** (32 files, 74 windows; streamed, no look-ahead; one threshold per
profile chosen with \`--sweep\` on this split, then fixed in \`src/analytics/evaluation.ts\`):

| detector | standard | low FP | low FN |
| --- | --- | --- | --- |
| streaming detector (default: daily offsets) | **${nab.standard}** | ${nab.low_fp} | ${nab.low_fn} |
| same, seasonality 'off' | ${nabPlain.standard} | ${nabPlain.low_fp} | ${nabPlain.low_fn} |
| Numenta HTM (published, this split) | 69.7 | 63.5 | 73.9 |
| Windowed Gaussian (published, this split) | 48.5 | 33.8 | 54.9 |

Goal: standard ≥ 65. Caveat: the score moves by a few points with the detector's warm-up and
window settings (65.9–68.6 across the variants tried), so the held-out split may score lower.

**M4 hourly development split** (60 series, h = 48, m = 24): validated choice among seasonal
naive, weekly naive, weekly means (plain and level-rescaled) and Holt-Winters:
**sMAPE ${m4.smape}, MASE ${m4.mase}, OWA ${m4.owa}** (goal sMAPE ≤ 13, OWA ≤ 0.65; sNaive 16.636 /
1.245 / 0.727; Holt-Winters alone, same run: ${m4HoltWinters.smape} / ${m4HoltWinters.mase} / ${m4HoltWinters.owa}). Methods chosen: ${Object.entries(
  m4.methods,
)
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')}. Accuracy runs took ${accuracySeconds.toFixed(1)} s.

**Speed** (same run):

| what | time | goal |
| --- | --- | --- |
| score 1,000,000 streamed points, daily offsets (default) | ${(million / 1000).toFixed(2)} s | < 2 s |
| score 1,000,000 streamed points, seasonality 'off' | ${(millionPlain / 1000).toFixed(2)} s (daily offsets cost ${(million / millionPlain).toFixed(2)}× this) | |
| fit + forecast 48 steps of a 1,000-point series, Holt-Winters | ${hw.toFixed(1)} ms | < 50 ms |
| fit + forecast, validated choice (3 folds × 7 candidates + final fit) | ${chosen.toFixed(1)} ms (${(chosen / hw).toFixed(1)}× Holt-Winters) | |
`;
writeSection('analytics', body);
console.log(body);
