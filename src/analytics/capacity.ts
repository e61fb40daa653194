/**
 * Capacity planning for resource series, pure: forecast the series far enough for the longest
 * horizon, read the forecast and its interval at each horizon, find when the forecast (and,
 * earlier, its interval) crosses the limit, and say in one line what to do.
 */
import { forecastSeries } from './forecaster.js';
import type { Point } from './analytics-store.js';

export const CAPACITY_HORIZONS = [
  { label: '1h', ms: 3_600_000 },
  { label: '6h', ms: 6 * 3_600_000 },
  { label: '24h', ms: 24 * 3_600_000 },
  { label: '7d', ms: 7 * 86_400_000 },
  { label: '30d', ms: 30 * 86_400_000 },
] as const;

export interface CapacityLimit {
  readonly value: number;
  /** 'above': trouble when the series rises past the value (memory); 'below': when it falls under it (free disk). */
  readonly direction: 'above' | 'below';
  /** Where the value came from, e.g. "ANALYTICS_MEMORY_LIMIT_BYTES". */
  readonly source: string;
}

export interface HorizonForecast {
  readonly horizon: string;
  readonly at: string;
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  /** The horizon is longer than the history the forecast rests on. */
  readonly extrapolated: boolean;
}

export interface CapacityPlan {
  readonly series: string;
  readonly current: number | null;
  readonly limit: CapacityLimit | null;
  readonly method: string | null;
  readonly forecasts: HorizonForecast[];
  /** When the forecast itself crosses the limit (null: not within the longest horizon). */
  readonly crossesAt: string | null;
  /** When the prediction interval first reaches the limit: the earliest plausible crossing. */
  readonly mayCrossAt: string | null;
  readonly recommendation: string;
}

const MIN_POINTS = 8;

function crossed(value: number, limit: CapacityLimit): boolean {
  return limit.direction === 'above' ? value >= limit.value : value <= limit.value;
}

function humanDuration(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * Plans one series from evenly spaced `points` (step `stepMs`) observed up to `now`.
 */
export function planCapacity(
  series: string,
  points: readonly Point[],
  stepMs: number,
  limit: CapacityLimit | null,
  now: number,
): CapacityPlan {
  const current = points.length === 0 ? null : (points[points.length - 1]?.v ?? null);
  if (points.length < MIN_POINTS)
    return {
      series,
      current,
      limit,
      method: null,
      forecasts: [],
      crossesAt: null,
      mayCrossAt: null,
      recommendation: `Not enough history yet (${points.length} of ${MIN_POINTS} points) to forecast ${series}.`,
    };
  const last = points[points.length - 1]?.t ?? now;
  const span = last - (points[0]?.t ?? last);
  const longest = CAPACITY_HORIZONS[CAPACITY_HORIZONS.length - 1]?.ms ?? 0;
  const steps = Math.ceil((now + longest - last) / stepMs);
  const result = forecastSeries(
    points.map((p) => p.v),
    steps,
  );
  const stepAt = (ms: number) =>
    Math.min(steps - 1, Math.max(0, Math.ceil((now + ms - last) / stepMs) - 1));
  const forecasts = CAPACITY_HORIZONS.map(({ label, ms }) => {
    const i = stepAt(ms);
    return {
      horizon: label,
      at: new Date(last + (i + 1) * stepMs).toISOString(),
      mean: result.mean[i] ?? NaN,
      lower: result.lower[i] ?? NaN,
      upper: result.upper[i] ?? NaN,
      extrapolated: ms > span,
    };
  });
  let crossesAt: number | null = null;
  let mayCrossAt: number | null = null;
  if (limit !== null) {
    for (let i = 0; i < steps; i++) {
      const t = last + (i + 1) * stepMs;
      const edge = limit.direction === 'above' ? result.upper[i] : result.lower[i];
      if (mayCrossAt === null && edge !== undefined && crossed(edge, limit)) mayCrossAt = t;
      if (crossed(result.mean[i] ?? NaN, limit)) {
        crossesAt = t;
        break;
      }
    }
  }
  return {
    series,
    current,
    limit,
    method: result.method,
    forecasts,
    crossesAt: crossesAt === null ? null : new Date(crossesAt).toISOString(),
    mayCrossAt: mayCrossAt === null ? null : new Date(mayCrossAt).toISOString(),
    recommendation: recommend(series, current, limit, crossesAt, mayCrossAt, now),
  };
}

function recommend(
  series: string,
  current: number | null,
  limit: CapacityLimit | null,
  crossesAt: number | null,
  mayCrossAt: number | null,
  now: number,
): string {
  if (limit === null) return `No limit is configured for ${series}; forecasts only.`;
  const verb = limit.direction === 'above' ? 'reach' : 'fall to';
  if (current !== null && crossed(current, limit))
    return `${series} is already past its limit (${limit.source}): act now.`;
  if (crossesAt !== null) {
    const within = crossesAt - now;
    const urgency =
      within <= 24 * 3_600_000
        ? 'act today'
        : within <= 7 * 86_400_000
          ? 'plan this week'
          : 'plan ahead';
    return `${series} is forecast to ${verb} its limit (${limit.source}) in about ${humanDuration(within)}: ${urgency}.`;
  }
  if (mayCrossAt !== null)
    return `${series} should stay within its limit (${limit.source}) for 30 days, but the prediction interval reaches it in about ${humanDuration(mayCrossAt - now)}: watch it.`;
  return `${series} stays within its limit (${limit.source}) for the next 30 days.`;
}
