/**
 * Compares a candidate run with a baseline, pure over their results:
 * - per test case × model, the verdict change (fixed, broken, still_failing, still_passing,
 *   new, removed) and the mean-score delta; with repetitions a case counts as passing when at
 *   least half its tries passed;
 * - per model, the pass-rate difference with McNemar's exact test on the paired verdicts
 *   (repeat 1), or a bootstrap interval over test cases of the per-case pass-rate difference
 *   (repeat > 1), and the verdict `regression | improvement | no_significant_change` at α;
 * - p50/p95 latency and cost deltas from the runs' summaries; pass^k for repeated runs.
 * Test cases are paired by a key the caller chooses (the id within one card).
 */
import type { ModelSummary } from '../run-schema.js';
import { bootstrapMeanInterval, type Interval } from './bootstrap.js';
import { mcnemarExactP } from './mcnemar.js';
import { passHatK } from './pass-hat-k.js';

export interface ComparedResult {
  readonly key: string;
  readonly model: string;
  readonly passed: boolean;
  readonly score: number;
}

export type Change = 'fixed' | 'broken' | 'still_failing' | 'still_passing' | 'new' | 'removed';
export type ComparisonVerdict = 'regression' | 'improvement' | 'no_significant_change';

export interface CaseChange {
  readonly key: string;
  readonly model: string;
  readonly change: Change;
  readonly baseline_pass_rate: number | null;
  readonly candidate_pass_rate: number | null;
  readonly score_delta: number | null;
}

export interface ModelComparison {
  readonly model: string;
  readonly paired_cases: number;
  readonly counts: Readonly<Record<Change, number>>;
  readonly baseline_pass_rate: number | null;
  readonly candidate_pass_rate: number | null;
  readonly pass_rate_delta: number | null;
  readonly test: 'mcnemar_exact' | 'bootstrap';
  /** McNemar's two-sided exact p-value (repeat 1). */
  readonly p_value: number | null;
  /** Bootstrap (1 − α) interval of the mean per-case pass-rate difference (repeat > 1). */
  readonly interval: Interval | null;
  readonly verdict: ComparisonVerdict;
  readonly latency_ms: { readonly p50_delta: number | null; readonly p95_delta: number | null };
  readonly cost_usd_delta: number | null;
  /** pass^k for k = 1 … repeat of each run (empty for repeat 1). */
  readonly pass_hat_k: { readonly baseline: number[]; readonly candidate: number[] };
  readonly flaky_cases: { readonly baseline: number; readonly candidate: number };
}

interface CaseTally {
  passes: number;
  tries: number;
  scoreSum: number;
}

function tally(results: readonly ComparedResult[]): Map<string, Map<string, CaseTally>> {
  const byModel = new Map<string, Map<string, CaseTally>>();
  for (const r of results) {
    const cases = byModel.get(r.model) ?? new Map<string, CaseTally>();
    byModel.set(r.model, cases);
    const t = cases.get(r.key) ?? { passes: 0, tries: 0, scoreSum: 0 };
    cases.set(r.key, t);
    t.tries++;
    t.scoreSum += r.score;
    if (r.passed) t.passes++;
  }
  return byModel;
}

const rate = (t: CaseTally | undefined) => (t === undefined ? null : t.passes / t.tries);
const passing = (t: CaseTally) => t.passes * 2 >= t.tries;
const delta = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined ? null : b - a;

export function compareRuns(input: {
  readonly baseline: readonly ComparedResult[];
  readonly candidate: readonly ComparedResult[];
  readonly baselineSummary: readonly ModelSummary[];
  readonly candidateSummary: readonly ModelSummary[];
  readonly alpha: number;
}): { models: ModelComparison[]; cases: CaseChange[] } {
  const base = tally(input.baseline);
  const cand = tally(input.candidate);
  const models = [...new Set([...base.keys(), ...cand.keys()])];
  const cases: CaseChange[] = [];
  const comparisons = models.map((model): ModelComparison => {
    const b = base.get(model) ?? new Map<string, CaseTally>();
    const c = cand.get(model) ?? new Map<string, CaseTally>();
    const counts: Record<Change, number> = {
      fixed: 0,
      broken: 0,
      still_failing: 0,
      still_passing: 0,
      new: 0,
      removed: 0,
    };
    const diffs: number[] = [];
    for (const key of new Set([...b.keys(), ...c.keys()])) {
      const before = b.get(key);
      const after = c.get(key);
      let change: Change;
      if (before === undefined) change = 'new';
      else if (after === undefined) change = 'removed';
      else {
        diffs.push(after.passes / after.tries - before.passes / before.tries);
        change = passing(before)
          ? passing(after)
            ? 'still_passing'
            : 'broken'
          : passing(after)
            ? 'fixed'
            : 'still_failing';
      }
      counts[change]++;
      cases.push({
        key,
        model,
        change,
        baseline_pass_rate: rate(before),
        candidate_pass_rate: rate(after),
        score_delta:
          before === undefined || after === undefined
            ? null
            : after.scoreSum / after.tries - before.scoreSum / before.tries,
      });
    }
    const repeated = [...b.values(), ...c.values()].some((t) => t.tries > 1);
    const paired = counts.fixed + counts.broken + counts.still_failing + counts.still_passing;
    const overall = (m: Map<string, CaseTally>) => {
      let passes = 0;
      let tries = 0;
      for (const t of m.values()) {
        passes += t.passes;
        tries += t.tries;
      }
      return tries === 0 ? null : passes / tries;
    };
    let p: number | null = null;
    let interval: Interval | null = null;
    let verdict: ComparisonVerdict = 'no_significant_change';
    if (!repeated) {
      p = mcnemarExactP(counts.broken, counts.fixed);
      if (p < input.alpha) verdict = counts.broken > counts.fixed ? 'regression' : 'improvement';
    } else {
      interval = bootstrapMeanInterval(diffs, input.alpha) ?? null;
      if (interval !== null && interval.upper < 0) verdict = 'regression';
      else if (interval !== null && interval.lower > 0) verdict = 'improvement';
    }
    const bs = input.baselineSummary.find((s) => s.model === model);
    const cs = input.candidateSummary.find((s) => s.model === model);
    const baselineRate = overall(b);
    const candidateRate = overall(c);
    const flaky = (m: Map<string, CaseTally>) =>
      [...m.values()].filter((t) => t.passes > 0 && t.passes < t.tries).length;
    return {
      model,
      paired_cases: paired,
      counts,
      baseline_pass_rate: baselineRate,
      candidate_pass_rate: candidateRate,
      pass_rate_delta: delta(baselineRate, candidateRate),
      test: repeated ? 'bootstrap' : 'mcnemar_exact',
      p_value: p,
      interval,
      verdict,
      latency_ms: {
        p50_delta: delta(bs?.latency_ms.p50, cs?.latency_ms.p50),
        p95_delta: delta(bs?.latency_ms.p95, cs?.latency_ms.p95),
      },
      cost_usd_delta: delta(bs?.cost_usd, cs?.cost_usd),
      pass_hat_k: repeated
        ? { baseline: passHatK([...b.values()]), candidate: passHatK([...c.values()]) }
        : { baseline: [], candidate: [] },
      flaky_cases: { baseline: flaky(b), candidate: flaky(c) },
    };
  });
  return { models: comparisons, cases };
}
