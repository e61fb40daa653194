/**
 * What promptfoo's structured-output kinds cost per check, as ratios to `contains` measured in
 * one run, on ordinary ~1 KB outputs and on hostile 100 KB ones (deep brackets, unclosed tags),
 * plus the one-time cost of loading each parser on first use (what a suite without these kinds
 * does not pay). Run: `npm run bench:structured-assertions`.
 */
import {
  assertionSpecSchema,
  evaluateAssertions,
  type AssertionContext,
} from '../src/assertions/index.js';

const PROSE = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
const CASES: [label: string, spec: Record<string, unknown>, output: string][] = [
  ['contains (baseline)', { type: 'contains', value: 'Oslo' }, `${PROSE} Oslo`],
  [
    'contains-json + schema',
    { type: 'contains-json', value: { type: 'object', required: ['city'] } },
    `${PROSE} {"city": "Oslo", "days": [1, 2, 3], "meta": {"unit": "C"}}`,
  ],
  [
    'is-xml + required',
    { type: 'is-xml', value: ['report.city'] },
    `<report><city>Oslo</city><text>${PROSE}</text></report>`,
  ],
  [
    'contains-xml',
    { type: 'contains-xml', value: ['report.city'] },
    `${PROSE}<report><city>Oslo</city></report>`,
  ],
  [
    'is-sql + allow-lists',
    { type: 'is-sql', value: { allowedTables: ['select::null::users'] } },
    'SELECT id, name, email FROM users WHERE created_at > NOW() - INTERVAL 7 DAY ORDER BY id LIMIT 50',
  ],
  ['contains-sql', { type: 'contains-sql' }, `${PROSE}\n\`\`\`sql\nSELECT id FROM users\n\`\`\``],
  ['is-html', { type: 'is-html' }, `<article><h1>Oslo</h1><p>${PROSE}</p></article>`],
  ['word-count', { type: 'word-count', value: { max: 500 } }, PROSE],
  [
    'tool-call-f1',
    { type: 'tool-call-f1', value: ['search', 'book'] },
    JSON.stringify([
      { type: 'function', function: { name: 'search', arguments: '{"q":"Oslo"}' } },
      { type: 'function', function: { name: 'book', arguments: '{"id":1}' } },
    ]),
  ],
  [
    'contains-json, 100 KB of [ ]',
    { type: 'contains-json' },
    `${'['.repeat(50_000)}${'] '.repeat(25_000)}`,
  ],
  ['contains-xml, 100 KB of <a>', { type: 'contains-xml' }, '<a>x'.repeat(25_000)],
];

const ROUNDS = 5;
const CALLS = 200;

function context(output: string): AssertionContext {
  return {
    output,
    latencyMs: 1,
    costUsd: 0,
    signal: AbortSignal.timeout(600_000),
    embed: () => Promise.reject(new Error('unused')),
    grade: () => Promise.reject(new Error('unused')),
  };
}

async function loadMs(load: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await load();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  console.log('First use (one-time module load, ms):');
  console.log(
    `  node-sql-parser (mysql) ${(await loadMs(() => import('node-sql-parser/build/mysql.js'))).toFixed(1)}`,
  );
  console.log(`  fast-xml-parser ${(await loadMs(() => import('fast-xml-parser'))).toFixed(1)}`);
  console.log(`  parse5          ${(await loadMs(() => import('parse5'))).toFixed(1)}`);

  const perCall: Record<string, number> = {};
  for (const [label, spec, output] of CASES) {
    const specs = [assertionSpecSchema.parse(spec)];
    const calls = output.length > 50_000 ? 5 : CALLS;
    await evaluateAssertions(specs, context(output)); // warm: parser loaded, JIT
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await evaluateAssertions(specs, context(output));
      rounds.push(Number(process.hrtime.bigint() - started) / 1e3 / calls);
    }
    perCall[label] = median(rounds);
  }
  const base = perCall['contains (baseline)'] ?? 1;
  console.log(`\n${CALLS} calls × ${ROUNDS} rounds (5 calls for the 100 KB cases); µs per check`);
  console.log('| kind | output chars | µs per check | ÷ contains |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, , output] of CASES) {
    const us = perCall[label] ?? 0;
    console.log(`| ${label} | ${output.length} | ${us.toFixed(1)} | ${(us / base).toFixed(1)} |`);
  }
}

void main();
