/**
 * Side-by-side comparison of two runs' results, done in the browser: results are matched by
 * (test case, model, repetition); a verdict change is a pair whose verdicts differ.
 */
import type { RunResult } from '../api/types';
import { verdictOf } from './result-filter';

export interface ComparedPair {
  key: string;
  test_case_id: string;
  model: string;
  repetition: number;
  base: RunResult | undefined;
  head: RunResult | undefined;
  change: 'fixed' | 'regressed' | 'same' | 'changed' | 'added' | 'removed';
}

function keyOf(result: RunResult): string {
  return `${result.test_case_id}\u0000${result.model}\u0000${result.repetition}`;
}

function changeOf(
  base: RunResult | undefined,
  head: RunResult | undefined,
): ComparedPair['change'] {
  if (base === undefined) return 'added';
  if (head === undefined) return 'removed';
  const before = verdictOf(base);
  const after = verdictOf(head);
  if (before === after) return 'same';
  // To or from "not judged" is a change, not a fix or a regression: nothing judged one side.
  if (after === 'passed' && before !== 'not_judged') return 'fixed';
  if (before === 'passed' && after !== 'not_judged') return 'regressed';
  return 'changed';
}

/** Pairs in base order, then results only the head has. */
export function compareResults(
  base: readonly RunResult[],
  head: readonly RunResult[],
): ComparedPair[] {
  const bases = new Map(base.map((r) => [keyOf(r), r]));
  const heads = new Map(head.map((r) => [keyOf(r), r]));
  const pairs: ComparedPair[] = [];
  const seen = new Set<string>();
  for (const result of [...base, ...head]) {
    const key = keyOf(result);
    if (seen.has(key)) continue;
    seen.add(key);
    const b = bases.get(key);
    const h = heads.get(key);
    pairs.push({
      key,
      test_case_id: result.test_case_id,
      model: result.model,
      repetition: result.repetition,
      base: b,
      head: h,
      change: changeOf(b, h),
    });
  }
  return pairs;
}

export function countChanges(
  pairs: readonly ComparedPair[],
): Record<ComparedPair['change'], number> {
  const counts = { fixed: 0, regressed: 0, same: 0, changed: 0, added: 0, removed: 0 };
  for (const pair of pairs) counts[pair.change] += 1;
  return counts;
}
