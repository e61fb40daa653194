/**
 * Human vs judge agreement, pure: a person's thumb against the verdict the assertions gave.
 * Thumbs up means "this answer is good", so it agrees with a pass; thumbs down agrees with a
 * fail or an error. An answer nothing judged has no verdict to agree with and is not counted.
 */

/** 'up' or 'down'. */
export type Thumb = 'up' | 'down';

/** What the judge said about a result; `null` when nothing judged it. */
export type JudgeVerdict = 'pass' | 'fail' | null;

export function judgeVerdictOf(result: {
  readonly passed: boolean;
  readonly judged: boolean;
  readonly errored: boolean;
}): JudgeVerdict {
  if (result.errored) return 'fail';
  if (!result.judged) return null;
  return result.passed ? 'pass' : 'fail';
}

/** Whether the person and the judge say the same; `null` when the judge said nothing. */
export function judgeAgrees(thumb: Thumb, verdict: JudgeVerdict): boolean | null {
  if (verdict === null) return null;
  return (thumb === 'up') === (verdict === 'pass');
}

/** Agreement of one card and model over its rated results. */
export interface Agreement {
  readonly card_id: string;
  readonly model: string;
  /** Every rated result, judged or not. */
  readonly ratings: number;
  /** Rated results the judge gave a verdict on (the ratio's denominator). */
  readonly judged_ratings: number;
  /** Of those, the ones where person and judge say the same. */
  readonly agreements: number;
  /** agreements / judged_ratings in [0, 1]; null with no judged rating. */
  readonly agreement_ratio: number | null;
}

/** One rating with its result's verdict, as the store reads it. */
export interface RatedVerdict {
  readonly card_id: string;
  readonly model: string;
  readonly thumb: Thumb;
  readonly verdict: JudgeVerdict;
  /** How many ratings this line stands for (the store counts in SQL); 1 when absent. */
  readonly count?: number;
}

/** Agreement per (card, model), sorted by card then model. */
export function tallyAgreement(rated: Iterable<RatedVerdict>): Agreement[] {
  const byKey = new Map<
    string,
    { card_id: string; model: string; r: number; j: number; a: number }
  >();
  for (const item of rated) {
    const key = JSON.stringify([item.card_id, item.model]);
    const entry = byKey.get(key) ?? { card_id: item.card_id, model: item.model, r: 0, j: 0, a: 0 };
    const n = item.count ?? 1;
    entry.r += n;
    const agrees = judgeAgrees(item.thumb, item.verdict);
    if (agrees !== null) {
      entry.j += n;
      if (agrees) entry.a += n;
    }
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .sort((x, y) => x.card_id.localeCompare(y.card_id) || x.model.localeCompare(y.model))
    .map((e) => ({
      card_id: e.card_id,
      model: e.model,
      ratings: e.r,
      judged_ratings: e.j,
      agreements: e.a,
      agreement_ratio: e.j === 0 ? null : e.a / e.j,
    }));
}
