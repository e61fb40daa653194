/**
 * What promptfoo's comparative assertions cost (runs/grade-comparisons.ts: a pass over the
 * run's results once its last item is recorded): the same suite of 1,000 tests on two
 * simulated providers (`simulated:fast`, `simulated:slow`; SIMULATED_LATENCY_MS=2, no failures),
 * once with `contains` alone and once with `contains` + `max-score`, through `prompt-cards eval`
 * (the embedded engine). Interleaved rounds after one warm-up; prints each round's wall times
 * and the median ratio. Run: `npx tsx bench/comparisons.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { evalCommand } from '../src/cli/eval-command.js';

// Read by the command's configuration when it runs (after this line).
process.env.SIMULATED_LATENCY_MS = '2';
process.env.SIMULATED_FAILURE_RATE = '0';

const TESTS = 1000;
const ROUNDS = 5;

function suite(compared: boolean): string {
  const assert = compared
    ? '[{type: contains, value: w1}, {type: max-score}]'
    : '[{type: contains, value: w1}]';
  return [
    "prompts: ['Say {{word}}']",
    'providers: [simulated:fast, simulated:slow]',
    'tests:',
    ...Array.from({ length: TESTS }, (_, i) => `  - {vars: {word: w${i}}, assert: ${assert}}`),
  ].join('\n');
}

async function timed(config: string): Promise<number> {
  const start = performance.now();
  await evalCommand({ config, concurrency: 16, log: () => undefined });
  return performance.now() - start;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-comparisons-'));
  try {
    const plain = join(dir, 'plain.yaml');
    const compared = join(dir, 'compared.yaml');
    writeFileSync(plain, suite(false));
    writeFileSync(compared, suite(true));
    await timed(compared);
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const p = await timed(plain);
      const c = await timed(compared);
      ratios.push(c / p);
      console.log(
        `round ${round}: contains ${p.toFixed(0)} ms, contains + max-score ${c.toFixed(0)} ms, ratio ${(c / p).toFixed(2)}`,
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(`median ratio ${(sorted[Math.floor(ROUNDS / 2)] ?? 0).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
