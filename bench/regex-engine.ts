/**
 * What running user patterns on RE2 semantics (re2js, linear time) costs against V8's
 * backtracking RegExp on ordinary patterns and outputs, as ratios measured in one run, plus
 * the pathological case that motivated the change. Run: `npm run bench:regex-engine`.
 */
import { testLinear } from '../src/util/linear-regex.js';

const OUTPUT = `${'The quick brown fox jumps over the lazy dog. '.repeat(22)}Order #48213 shipped to ada@example.com on 2026-11-30.`;
const PATTERNS = [
  '^P[123]$',
  '\\b\\d{4}-\\d{2}-\\d{2}\\b',
  '[\\w.+-]+@[\\w-]+\\.[\\w.]+',
  '(?i)lazy\\s+dog',
  'order #\\d+ shipped',
];
const ROUNDS = 5;
const CALLS = 2000;

function time(run: () => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) run();
  return Number(process.hrtime.bigint() - started) / 1e3 / CALLS; // µs per call
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(
  `output: ${OUTPUT.length} characters; ${CALLS} calls × ${ROUNDS} rounds; µs per call (median)`,
);
console.log('| pattern | RegExp µs | RE2 (re2js) µs | ratio |');
console.log('| --- | --- | --- | --- |');
for (const pattern of PATTERNS) {
  const js = new RegExp(pattern.replace('(?i)', ''), pattern.startsWith('(?i)') ? 'iu' : 'u');
  const native: number[] = [];
  const linear: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    native.push(time(() => js.test(OUTPUT)));
    linear.push(time(() => testLinear(pattern, OUTPUT)));
  }
  const [a, b] = [median(native), median(linear)];
  console.log(`| \`${pattern}\` | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(1)} |`);
}
const evil = `${'a'.repeat(28)}!`;
const started = process.hrtime.bigint();
testLinear('^(a+)+$', evil);
console.log(
  `\n\`^(a+)+$\` against 28 × a + "!": RE2 ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms (V8 RegExp: about 13 s, not run here)`,
);
