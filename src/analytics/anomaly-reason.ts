/**
 * The words of an anomaly alert: what was observed, what was expected (the range a deviation of
 * 3 robust spreads spans around the expectation), over which window, and how long it held — so
 * an operator can judge it without opening a chart. Pure.
 */
import type { StoredAnomaly } from './analytics-store.js';
import { DEFAULT_SUSTAIN_MS, type Judgement } from './series-judge.js';

const KIND_TEXT: Record<Judgement['kind'], string> = {
  spike: 'spike',
  level_shift: 'level shift',
  out_of_range: 'beyond the range seen so far',
  growth_rate_change: 'growth rate changed',
};

/** Robust z beyond which a point counts as deviating (the detector's minimum deviation). */
const RANGE_Z = 3;

export function formatValue(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value)
    ? value.toFixed(0)
    : value.toPrecision(4);
}

function duration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** `summary` and `description` of a firing MetricAnomalyDetected alert. */
export function describeAnomaly(
  series: string,
  anomaly: Pick<StoredAnomaly, 'value' | 'score' | 'severity' | 'at'>,
  point: Judgement,
  intervalMs: number,
): { summary: string; description: string } {
  const kind = KIND_TEXT[point.kind];
  const perSecond = point.kind === 'growth_rate_change' ? ' per second' : '';
  const low = point.judgedExpected - RANGE_Z * point.spread;
  const high = point.judgedExpected + RANGE_Z * point.spread;
  const window = duration(point.baseline * intervalMs);
  const summary =
    point.kind === 'growth_rate_change'
      ? `${series}: ${kind} to ${formatValue(point.judged)}${perSecond} (expected ${formatValue(low)}…${formatValue(high)})`
      : `${series}: ${kind} to ${formatValue(point.judged)} (expected ${formatValue(low)}…${formatValue(high)})`;
  const description =
    `Observed ${formatValue(point.judged)}${perSecond} at ${anomaly.at}; expected ` +
    `${formatValue(point.judgedExpected)}${perSecond}, range ${formatValue(low)}…${formatValue(high)} ` +
    `(±${RANGE_Z} robust spreads of ${formatValue(point.spread)}), learnt from the last ` +
    `${point.baseline} samples (${window}). Deviation ${point.deviation.toFixed(1)} spreads, ` +
    `held ${point.sustained} sample(s) in a row (${duration(point.heldMs)}; a page needs ${duration(DEFAULT_SUSTAIN_MS)}); ` +
    `score ${anomaly.score.toFixed(4)} ` +
    `(${anomaly.severity}).`;
  return { summary, description };
}
