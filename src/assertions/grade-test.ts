/**
 * A test's verdict from its assertions' results, with promptfoo's rules
 * (https://www.promptfoo.dev/docs/configuration/expected-outputs/): one function for the run
 * engine (the stored `passed`/`score`) and the eval command's report, so both say the same.
 * - An `assert-set` scores the weighted mean of its members; it passes when that reaches its
 *   `threshold`, else when every member passes. Sets may hold sets (a test's own `threshold`
 *   is stored as a set around its assertions).
 * - The test scores the weighted mean of its top-level entries (weight 0 counts for nothing,
 *   yet its failure still fails the test) and passes when every entry passes.
 * - Every assertion or set with a `metric` adds its 0–1 score to that metric's total.
 * `results` holds one result per leaf assertion, depth first (see `leafSpecs`), after any
 * checks planned outside the list (the expected output), which count as top-level entries
 * of weight 1. With nothing at all the test passes with score 1 (the call succeeded).
 */
import type { AssertionResult } from './evaluate.js';
import type { AssertionSpec } from './spec-schema.js';

export const ASSERT_SET = 'assert-set';

export interface TestGrade {
  readonly pass: boolean;
  /** Weighted score, 0–1. */
  readonly score: number;
  /** Metric name → the sum of the scores of the assertions and sets carrying it. */
  readonly named: ReadonlyMap<string, number>;
}

/** The leaf assertions of `specs`, depth first: the ones that are evaluated. */
export function leafSpecs(specs: readonly AssertionSpec[]): AssertionSpec[] {
  return specs.flatMap((s) => (s.type === ASSERT_SET ? leafSpecs(s.assert ?? []) : [s]));
}

interface Part {
  readonly pass: boolean;
  readonly score: number;
  readonly weight: number;
}

function weighted(parts: readonly Part[]): number {
  const total = parts.reduce((n, p) => n + p.weight, 0);
  return total === 0 ? 0 : parts.reduce((n, p) => n + p.score * p.weight, 0) / total;
}

export function gradeTest(
  specs: readonly AssertionSpec[],
  results: readonly AssertionResult[],
): TestGrade {
  const leaves = leafSpecs(specs).length;
  let cursor = Math.max(0, results.length - leaves);
  const named = new Map<string, number>();
  const add = (metric: string | undefined, score: number) => {
    if (metric !== undefined) named.set(metric, (named.get(metric) ?? 0) + score);
  };
  const grade = (spec: AssertionSpec): Part | undefined => {
    const weight = spec.weight ?? 1;
    if (spec.type !== ASSERT_SET) {
      const r = results[cursor++];
      if (r === undefined) return undefined;
      add(spec.metric, r.score);
      return { pass: r.pass, score: r.score, weight };
    }
    const members = (spec.assert ?? []).flatMap((m) => grade(m) ?? []);
    if (members.length === 0) return undefined;
    const score = weighted(members);
    const pass =
      spec.threshold !== undefined ? score >= spec.threshold : members.every((m) => m.pass);
    add(spec.metric, score);
    return { pass, score, weight };
  };
  const parts: Part[] = results
    .slice(0, cursor)
    .map((r) => ({ pass: r.pass, score: r.score, weight: r.weight }));
  for (const spec of specs) {
    const part = grade(spec);
    if (part !== undefined) parts.push(part);
  }
  if (parts.length === 0) return { pass: true, score: 1, named };
  return { pass: parts.every((p) => p.pass), score: weighted(parts), named };
}
