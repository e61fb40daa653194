/**
 * The end of an `eval`, local or on a service: the report built from the runs' results, the
 * `-o` reports written (missing folders created), the summary printed (pass rate per model,
 * the failing tests, named and derived metrics), the `--baseline` comparison, and the exit
 * code: 0 every threshold holds, 1 one fails, a significant regression, or nothing evaluated.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SuitePlan } from '../suites/index.js';
import { baselineCaseLabel, compareWithBaseline } from './baseline-report.js';
import { deriveMetrics } from './derived-metrics.js';
import { buildReport, type EvalReport, type RunOfCard } from './eval-report.js';
import { missingLines } from './missing-cases.js';
import { writeReport } from './report-writers.js';
import { printComparison } from './server-commands.js';

/** What the end of an eval reads of the command's options. */
export interface ConclusionOptions {
  readonly output?: readonly string[];
  readonly failUnder?: number;
  readonly baseline?: string;
  readonly alpha?: number;
}

/**
 * @param models the model ids of the report's columns, in the suite's order
 * @param runs one run per card, with its results and planned tests
 */
export async function concludeEval(
  plan: SuitePlan,
  models: readonly string[],
  runs: readonly RunOfCard[],
  options: ConclusionOptions,
  log: (line: string) => void,
): Promise<{ code: number; report: EvalReport }> {
  const threshold = options.failUnder ?? plan.passRateThreshold ?? 1;
  const built = buildReport(plan.description, models, runs, threshold);
  const report: EvalReport = {
    ...built,
    derived_metrics: await deriveMetrics(plan.derivedMetrics, built.rows, built.named_scores),
  };
  for (const path of options.output ?? plan.outputPaths) {
    await mkdir(dirname(path), { recursive: true });
    await writeReport(path, report);
  }
  for (const m of report.models) {
    const rate = m.pass_rate === null ? 'n/a' : `${(m.pass_rate * 100).toFixed(1)}%`;
    log(
      `${m.ok ? 'PASS' : 'FAIL'} ${m.model}: ${m.passed}/${m.results - m.not_evaluated} passed (${rate}, threshold ${(threshold * 100).toFixed(1)}%), ${m.failed} failed, ${m.errored} errors${m.not_evaluated > 0 ? `, ${m.not_evaluated} not evaluated` : ''}`,
    );
  }
  if (report.rows.some((r) => r.verdict === 'fail' || r.verdict === 'error')) {
    // Loaded only for a table to print: its width measure (string-width) costs ~30 ms to load.
    const { failingTable } = await import('./failing-table.js');
    for (const line of failingTable(report.rows)) log(line);
  }
  for (const n of report.named_scores)
    log(
      `metric ${n.prompt} × ${n.model} ${n.metric}: ${Number(n.sum.toFixed(4))} / ${n.count} (mean ${n.mean.toFixed(2)})`,
    );
  for (const d of report.derived_metrics)
    log(
      `derived ${d.prompt} × ${d.model} ${d.name}: ${d.value === null ? `not computed (${d.error ?? ''})` : Number(d.value.toFixed(4))}`,
    );
  const skipped = plan.tests.reduce((n, t) => n + t.skipped.length, 0);
  if (skipped > 0)
    log(`${skipped} unsupported assertion(s) were not evaluated (--skip-unsupported)`);
  let regressed = false;
  if (options.baseline !== undefined) {
    const comparison = await compareWithBaseline(options.baseline, report, options.alpha ?? 0.05);
    log(`compared with ${options.baseline}:`);
    printComparison(comparison.models, log);
    // A model or test of the baseline that this run lacks fails the gate too.
    const missing = missingLines(comparison.cases, baselineCaseLabel);
    for (const line of missing) log(line);
    regressed = comparison.models.some((m) => m.verdict === 'regression') || missing.length > 0;
  }
  const evaluated = report.models.reduce((n, m) => n + m.results - m.not_evaluated, 0);
  if (evaluated === 0) log('FAIL: nothing was evaluated (every assertion was set aside)');
  return { code: report.ok && !regressed && evaluated > 0 ? 0 : 1, report };
}
