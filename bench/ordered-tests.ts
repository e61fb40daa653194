/**
 * What running the tests of a suite in order costs (promptfoo's `storeOutputAs`,
 * `_conversation`: cli/run-in-order.ts, a run of its own per test) beside the same suite run
 * apart (one run per prompt): 200 tests, one simulated model (`simulated:fast`), the ordered
 * suite differing only by `storeOutputAs` on its first test. Prints both wall times and their
 * ratio, at concurrency 1 and 4, after one warm-up. Run: `npx tsx bench/ordered-tests.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalCommand } from '../src/cli/eval-command.js';

const TESTS = 200;

function suite(ordered: boolean): string {
  return [
    "prompts: ['Say {{word}} {{previous}}']",
    'providers: [simulated:fast]',
    'tests:',
    ...Array.from(
      { length: TESTS },
      (_, i) =>
        `  - {vars: {word: w${i}, previous: ''}${ordered && i === 0 ? ', options: {storeOutputAs: previous}' : ''}}`,
    ),
  ].join('\n');
}

async function timed(config: string, concurrency: number): Promise<number> {
  const start = performance.now();
  await evalCommand({ config, concurrency, log: () => undefined });
  return performance.now() - start;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-ordered-'));
  try {
    const apart = join(dir, 'apart.yaml');
    const ordered = join(dir, 'ordered.yaml');
    writeFileSync(apart, suite(false));
    writeFileSync(ordered, suite(true));
    await timed(ordered, 1);
    for (const concurrency of [1, 4]) {
      const a = await timed(apart, concurrency);
      const o = await timed(ordered, concurrency);
      console.log(
        `concurrency ${concurrency}: apart ${a.toFixed(0)} ms, in order ${o.toFixed(0)} ms (${((o - a) / TESTS).toFixed(1)} ms more per test), ratio ${(o / a).toFixed(2)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
