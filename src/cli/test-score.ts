/**
 * A test's verdict from its assertion results, with promptfoo's rules for groups and named
 * scores (https://www.promptfoo.dev/docs/configuration/expected-outputs/):
 * - an `assert-set` scores the weighted mean of its members; it passes when that reaches its
 *   `threshold`, else when every member passes;
 * - the test scores the weighted mean of its groups (weight 0 counts for nothing); it passes
 *   when that reaches the test's `threshold`, else when every group passes;
 * - every assertion or set with a `metric` adds its score (0–1) to that metric's total.
 * Results of checks planned outside the groups (the expected output) come first and count as
 * plain assertions of weight 1.
 */
import type { AssertionResult } from '../assertions/index.js';
import type { PlannedTest } from '../suites/index.js';

export interface TestScore {
  readonly pass: boolean;
  /** Weighted score, 0–1. */
  readonly score: number;
  /** Metric name → the sum of the scores of this test's assertions carrying it. */
  readonly named: ReadonlyMap<string, number>;
}

function weighted(parts: readonly { score: number; weight: number }[]): number {
  const total = parts.reduce((n, p) => n + p.weight, 0);
  return total === 0 ? 0 : parts.reduce((n, p) => n + p.score * p.weight, 0) / total;
}

export function scoreTest(results: readonly AssertionResult[], test: PlannedTest): TestScore {
  const offset = Math.max(0, results.length - test.assertions.length);
  const named = new Map<string, number>();
  const add = (metric: string | undefined, score: number) => {
    if (metric !== undefined) named.set(metric, (named.get(metric) ?? 0) + score);
  };
  const parts = results
    .slice(0, offset)
    .map((r) => ({ pass: r.pass, score: r.score, weight: r.weight }));
  for (const group of test.groups) {
    const members = group.members.flatMap((i) => {
      const r = results[offset + i];
      return r === undefined ? [] : [r];
    });
    if (members.length === 0) continue;
    if (group.set) members.forEach((r, i) => add(group.memberMetrics?.[i], r.score));
    const score = weighted(members);
    const pass =
      group.set && group.threshold !== undefined
        ? score >= group.threshold
        : members.every((r) => r.pass);
    add(group.metric, score);
    parts.push({ pass, score, weight: group.weight });
  }
  if (parts.length === 0) return { pass: true, score: 1, named };
  const score = weighted(parts);
  const pass = test.threshold !== undefined ? score >= test.threshold : parts.every((p) => p.pass);
  return { pass, score, named };
}
