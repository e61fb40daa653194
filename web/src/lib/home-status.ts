/**
 * What the home page says about a card: its latest run's pass rate per model, the trend over
 * its last runs, whether the latest run regressed against the one before, what fires for it,
 * and how much attention that needs (the sort order). Pure over the API's answers.
 */
import type { Run } from '../api/types';

export interface CardStatus {
  /** The newest finished run with results; undefined when the card never ran. */
  readonly latest: Run | undefined;
  /** The finished run before it (the comparison's baseline). */
  readonly previous: Run | undefined;
  /** Overall pass rate of each finished run, oldest first (the sparkline). */
  readonly trend: readonly number[];
  /** Latest pass rate minus the previous run's, per model both have (a fraction). */
  readonly deltas: ReadonlyMap<string, number>;
}

const FINISHED = new Set(['completed', 'cancelled', 'interrupted', 'failed']);

/** passed / judged over every model of a run; null when nothing counted. */
export function overallPassRate(run: Run): number | null {
  let passed = 0;
  let counted = 0;
  for (const s of run.summary) {
    passed += s.passed;
    counted += s.results - s.not_judged;
  }
  return counted === 0 ? null : passed / counted;
}

/** `runs` newest first, as GET /api/prompt-cards/:id/runs answers. */
export function cardStatus(runs: readonly Run[]): CardStatus {
  const finished = runs.filter((r) => FINISHED.has(r.status) && overallPassRate(r) !== null);
  const [latest, previous] = finished;
  const trend = finished
    .map((r) => overallPassRate(r))
    .filter((v): v is number => v !== null)
    .reverse();
  const deltas = new Map<string, number>();
  if (latest !== undefined && previous !== undefined) {
    for (const s of latest.summary) {
      const before = previous.summary.find((p) => p.model === s.model)?.pass_rate ?? null;
      if (s.pass_rate !== null && before !== null) deltas.set(s.model, s.pass_rate - before);
    }
  }
  return { latest, previous, trend, deltas };
}

/**
 * Attention score, higher first: a firing alert, then a significant regression, then a pass
 * rate under the card's threshold, then never run; ties by lowest latest pass rate.
 */
export function attention(
  status: CardStatus,
  firing: number,
  regressed: boolean,
  threshold: number | null,
): number {
  const rate = status.latest === undefined ? null : overallPassRate(status.latest);
  let score = 0;
  if (firing > 0) score += 1000;
  if (regressed) score += 500;
  if (rate !== null && threshold !== null && rate < threshold) score += 250;
  if (status.latest === undefined) score += 100;
  return score + (rate === null ? 0 : (1 - rate) * 100);
}
