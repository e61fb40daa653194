/**
 * The local–global mean of the forecaster's choice: when a series is forecast as one of a group
 * (global-pool.ts), the candidate with the least total validation sMAPE is averaged, with equal
 * weights, with the best candidate of the other kind (a global AR when the best is local, the best
 * local method when it is a global AR), provided that one's total validation sMAPE is within
 * `margin` (10 %) of the best's. A local and a pooled model err differently, so where both
 * validate alike their mean hedges the choice; where one is clearly better it is kept alone.
 * On the M4 hourly development split the margin 10 % was chosen among 10 / 20 / 50 % by the mean
 * OWA of three pseudo-tests (the 48-hour windows ending 0, 48 and 96 hours before each train
 * part's end, each with its own validation before it; bench/m4-rules.ts), never by the test
 * parts (docs/analytics.md). Pure.
 */
import { smape } from './m4-metrics.js';

export const LOCAL_GLOBAL_MARGIN = 0.1;

/** A validated candidate, as forecaster.ts's `validateCandidates` returns it. */
export interface ValidatedCandidate {
  readonly name: string;
  /** sMAPE of each validation origin's forecast, latest origin first. */
  readonly smape: number[];
  /** Squared error at each step ahead, averaged over the origins. */
  readonly squared: number[];
  /** The forecast made at each validation origin (latest first). */
  readonly forecasts: number[][];
  /** The values that followed each validation origin (latest first). */
  readonly actual: number[][];
  /** Forecasts `horizon` steps from the whole series. */
  readonly final: (values: readonly number[], horizon: number) => number[];
}

/** Whether a candidate is one of the group's global AR models (global-pool.ts's names). */
export function isGlobalCandidate(name: string): boolean {
  return name.startsWith('global_');
}

const total = (c: ValidatedCandidate) => c.smape.reduce((sum, e) => sum + e, 0);
const mix = (a: readonly number[], b: readonly number[]) => a.map((v, h) => (v + (b[h] ?? v)) / 2);

/**
 * The mean of the best candidate and the best one of the other kind, validated on the same
 * origins (named `<best>+<other>`); undefined when there is no candidate of the other kind or
 * its total validation sMAPE exceeds (1 + `margin`) × the best's.
 */
export function localGlobalMean(
  candidates: readonly ValidatedCandidate[],
  margin = LOCAL_GLOBAL_MARGIN,
): ValidatedCandidate | undefined {
  let best: ValidatedCandidate | undefined;
  for (const c of candidates) if (best === undefined || total(c) < total(best)) best = c;
  if (best === undefined) return undefined;
  const kind = isGlobalCandidate(best.name);
  let other: ValidatedCandidate | undefined;
  for (const c of candidates)
    if (isGlobalCandidate(c.name) !== kind && (other === undefined || total(c) < total(other)))
      other = c;
  if (other === undefined || total(other) > (1 + margin) * total(best)) return undefined;
  const [a, b] = [best, other];
  const forecasts = a.forecasts.map((f, k) => mix(f, b.forecasts[k] ?? f));
  const squared = new Array<number>(a.squared.length).fill(0);
  a.actual.forEach((actual, k) =>
    actual.forEach((y, h) => {
      squared[h] = (squared[h] ?? 0) + (y - (forecasts[k]?.[h] ?? 0)) ** 2 / a.actual.length;
    }),
  );
  return {
    name: `${a.name}+${b.name}`,
    smape: forecasts.map((f, k) => smape(a.actual[k] ?? [], f)),
    squared,
    forecasts,
    actual: a.actual,
    final: (values, horizon) => mix(a.final(values, horizon), b.final(values, horizon)),
  };
}
