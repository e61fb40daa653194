/**
 * The guide's `maxLabels`, made real: at most `maxSeries` distinct label sets per metric.
 * Past the cap, a new label set has its user-sourced labels (model names, tags, card ids)
 * replaced by `__overflow__`, and `metrics_cardinality_overflow_total{metric}` counts it.
 * Label sets already seen keep their values, so existing series continue undisturbed.
 */
export const OVERFLOW = '__overflow__';

export type Labels = Record<string, string>;

export class CardinalityGuard {
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly maxSeries: number,
    private readonly onOverflow: (metric: string) => void,
  ) {}

  /** The labels to record: the given ones, or with `foldable` labels folded past the cap. */
  admit(metric: string, labels: Labels, foldable: readonly string[]): Labels {
    let seen = this.seen.get(metric);
    if (seen === undefined) {
      seen = new Set();
      this.seen.set(metric, seen);
    }
    const key = labelKey(labels);
    if (seen.has(key)) return labels;
    if (seen.size < this.maxSeries) {
      seen.add(key);
      return labels;
    }
    this.onOverflow(metric);
    const folded = { ...labels };
    for (const name of foldable) if (name in folded) folded[name] = OVERFLOW;
    seen.add(labelKey(folded));
    return folded;
  }
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join('\u0000');
}
