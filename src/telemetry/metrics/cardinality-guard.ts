/**
 * The guide's `maxLabels`, made real: at most `maxSeries` distinct label sets per metric.
 * Past the cap, a new label set has its user-sourced labels (model names, tags, card ids)
 * replaced by `__overflow__`, and `metrics_cardinality_overflow_total{metric}` counts it.
 * Label sets already seen keep their values, so existing series continue undisturbed.
 *
 * Collision-free: prom-client keys a series by the string `name:value,name:value,`, so a value
 * holding `,<other label>:` would merge two label sets into one series (model
 * `openai:m,prompt_type:x` with tag `y` and model `openai:m` with tag `x,prompt_type:y`). The
 * user-sourced values therefore have `%` and `,` percent-encoded (`%25`, `%2C`, reversible),
 * and the guard's own key is the JSON of the sorted pairs.
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
  admit(metric: string, given: Labels, foldable: readonly string[]): Labels {
    const labels = { ...given };
    for (const name of foldable) {
      const value = labels[name];
      if (value !== undefined) labels[name] = encodeLabelValue(value);
    }
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

/** `%` → `%25`, `,` → `%2C`: no user value can contain prom-client's pair separator. */
export function encodeLabelValue(value: string): string {
  return value.replaceAll('%', '%25').replaceAll(',', '%2C');
}

function labelKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k] ?? '']),
  );
}
