/**
 * What a candidate run lacks that its baseline had: a regression gate must not pass because
 * a model or a test was dropped (the paired statistics only see what both runs have). Pure:
 * from a comparison's per-case changes to the lines `compare` and `eval --baseline` print
 * before they exit 1.
 */
import type { CaseChange } from '../runs/index.js';

/** At most this many test names are listed per model; the rest are counted. */
const LISTED = 10;

/**
 * One line per model with results in the baseline and none (or fewer tests) in the candidate:
 * `MISSING <model>: not in the candidate run (N tests in the baseline)` or
 * `MISSING <model>: K of N tests not in the candidate: a, b, … and M more`. `label` turns a
 * case key into the name shown. Empty when nothing is missing.
 */
export function missingLines(
  cases: readonly CaseChange[],
  label: (key: string) => string = (key) => key,
): string[] {
  const byModel = new Map<string, { removed: string[]; baseline: number; candidate: number }>();
  for (const c of cases) {
    const entry = byModel.get(c.model) ?? { removed: [], baseline: 0, candidate: 0 };
    byModel.set(c.model, entry);
    if (c.baseline_pass_rate !== null) entry.baseline++;
    if (c.candidate_pass_rate !== null) entry.candidate++;
    if (c.change === 'removed') entry.removed.push(label(c.key));
  }
  const lines: string[] = [];
  for (const [model, { removed, baseline, candidate }] of byModel) {
    if (removed.length === 0) continue;
    if (candidate === 0) {
      lines.push(`MISSING ${model}: not in the candidate run (${baseline} tests in the baseline)`);
      continue;
    }
    const listed = removed.slice(0, LISTED).join(', ');
    const more = removed.length > LISTED ? ` … and ${removed.length - LISTED} more` : '';
    lines.push(
      `MISSING ${model}: ${removed.length} of ${baseline} tests not in the candidate: ${listed}${more}`,
    );
  }
  return lines;
}
