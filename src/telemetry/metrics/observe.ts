import type { Histogram } from 'prom-client';

/**
 * Observes a value on an exemplar-enabled histogram. prom-client replaces `observe(labels,
 * value)` by the object form on such histograms, and types the exemplar labels as if they were
 * the metric's own labels; the cast states what the library accepts at run time.
 */
export function observeWithExemplar<T extends string>(
  histogram: Histogram<T>,
  labels: Partial<Record<T, string | number>>,
  value: number,
  exemplarLabels: Record<string, string> = {},
): void {
  histogram.observe({
    labels,
    value,
    exemplarLabels: exemplarLabels as Partial<Record<T, string>>,
  });
}
