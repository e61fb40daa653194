/**
 * `GET /api/runs/:id/compare/:baseline`: loads both runs' results and summaries and compares
 * them (`compareRuns`). Test cases pair by id when both runs are of the same card, else by
 * test case name (two cards made from one suite). Each model's comparison is handed to
 * `onCompared` (alerts and metrics: a regression fires, a later clean comparison resolves).
 */
import { AppError } from '../../errors.js';
import type { RunStore } from '../run-store.js';
import { compareRuns, type CaseChange, type ModelComparison } from './compare-runs.js';

export interface Comparison {
  readonly run_id: string;
  readonly baseline_run_id: string;
  readonly alpha: number;
  /** regression if any model regressed, else improvement if any improved. */
  readonly verdict: 'regression' | 'improvement' | 'no_significant_change';
  readonly models: ModelComparison[];
  readonly cases: CaseChange[];
}

export interface RegressionEvent {
  readonly cardId: string;
  readonly runId: string;
  readonly baselineRunId: string;
  readonly model: ModelComparison;
}

export class RunComparer {
  constructor(
    private readonly runs: RunStore,
    private readonly onCompared: (event: RegressionEvent) => Promise<void> = () =>
      Promise.resolve(),
  ) {}

  async compare(runId: string, baselineId: string, alpha: number): Promise<Comparison> {
    const [candidate, baseline] = await Promise.all([
      this.runs.getRun(runId),
      this.runs.getRun(baselineId),
    ]);
    if (candidate === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    if (baseline === undefined)
      throw new AppError('PCS_ERR_RUN_NOT_FOUND', 'No baseline run with this id');
    const sameCard = candidate.prompt_card_id === baseline.prompt_card_id;
    const [c, b] = await Promise.all([
      this.runs.comparableResults(runId),
      this.runs.comparableResults(baselineId),
    ]);
    const toCompared = (rows: typeof c) =>
      rows.map((r) => ({
        key: sameCard ? r.test_case_id : (r.test_case_name ?? r.test_case_id),
        model: r.model,
        passed: r.passed,
        score: r.score,
      }));
    const { models, cases } = compareRuns({
      baseline: toCompared(b),
      candidate: toCompared(c),
      baselineSummary: baseline.summary,
      candidateSummary: candidate.summary,
      alpha,
    });
    for (const model of models)
      await this.onCompared({
        cardId: candidate.prompt_card_id,
        runId,
        baselineRunId: baselineId,
        model,
      });
    const verdict = models.some((m) => m.verdict === 'regression')
      ? 'regression'
      : models.some((m) => m.verdict === 'improvement')
        ? 'improvement'
        : 'no_significant_change';
    return { run_id: runId, baseline_run_id: baselineId, alpha, verdict, models, cases };
  }
}
