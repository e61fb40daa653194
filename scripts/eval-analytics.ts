/**
 * `npm run eval:analytics -- --nab <dir> --m4 <dir> [--json] [--sweep]`: scores the anomaly
 * detector on a NAB corpus (with its defaults, and cross-validated: `cv`, leave one category out)
 * and the forecaster on an M4 hourly set (see src/analytics/evaluation.ts).
 * `--sweep` also reports the best threshold per NAB profile on `<dir>` (how the fixed ones were chosen).
 * `--guard` scores the detector as the service runs it (the trend guard on: a value that continues
 * the series' own steps is not out of range). The cross-validation prints each left-out
 * category's inner choice (made on the other categories) and its score: the settings are never
 * judged on the files they were chosen on. Point `--nab` at the development split to tune; a
 * held-out corpus (same layout; scripts/nab-held-out.ts builds it) is only scored, with the fixed
 * defaults: pass `--held-out`.
 */
import { parseArgs } from 'node:util';
import {
  evaluateM4,
  evaluateNab,
  nabCrossValidation,
  sweepNab,
} from '../src/analytics/evaluation.js';

const { values } = parseArgs({
  options: {
    nab: { type: 'string' },
    m4: { type: 'string' },
    json: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    guard: { type: 'boolean', default: false },
    'held-out': { type: 'boolean', default: false },
  },
});
if (values.nab === undefined && values.m4 === undefined) {
  process.stderr.write(
    'usage: npm run eval:analytics -- --nab <dir> --m4 <dir> [--json] [--sweep]\n',
  );
  process.exit(2);
}

const started = performance.now();
const options = values.guard ? { trendGuard: true } : {};
const nab = values.nab === undefined ? undefined : evaluateNab(values.nab, options);
// A held-out corpus is only scored: cross-validating on it would choose settings on it.
const cv =
  values.nab === undefined || values['held-out']
    ? undefined
    : nabCrossValidation(values.nab, options);
const m4 = values.m4 === undefined ? undefined : evaluateM4(values.m4);
const sweep = values.sweep && values.nab !== undefined ? sweepNab(values.nab, options) : undefined;
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (values.json) {
  const out: Record<string, unknown> = {};
  if (nab) out.nab = nab;
  if (cv) out.cv = cv;
  if (m4) out.m4 = { smape: m4.smape, mase: m4.mase, owa: m4.owa };
  if (sweep) out.sweep = sweep;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  if (nab)
    console.log(
      `NAB (normalised, null 0, perfect 100): standard ${nab.standard}, low FP ${nab.low_fp}, low FN ${nab.low_fn}`,
    );
  if (cv)
    console.log(
      `NAB${values.guard ? ' (trend guard on)' : ''} cross-validated (${cv.scheme}): standard ${cv.cv.standard}, low FP ${cv.cv.low_fp}, low FN ${cv.cv.low_fn}; leave-one-file-out ${cv.leave_one_file_out.standard} / ${cv.leave_one_file_out.low_fp} / ${cv.leave_one_file_out.low_fn}; in-sample choice ${cv.in_sample.standard} / ${cv.in_sample.low_fp} / ${cv.in_sample.low_fn} (${cv.chosen.standard.grid})`,
    );
  if (cv)
    for (const [category, fold] of Object.entries(cv.folds))
      console.log(
        `  fold ${category}: inner choice (other categories) ${fold.grid}, threshold ${fold.threshold}, inner standard ${fold.inner}; left-out standard ${fold.left_out}`,
      );
  if (m4)
    console.log(
      `M4 hourly (h 48, m 24): sMAPE ${m4.smape}, MASE ${m4.mase}, OWA ${m4.owa}; methods chosen ${JSON.stringify(m4.methods)}`,
    );
  if (sweep) console.log(`best thresholds on this corpus: ${JSON.stringify(sweep)}`);
  console.log(`${seconds} s`);
}
