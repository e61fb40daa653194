/**
 * GET /api/analytics/series       list the sampled series, or one series' points (series= or,
 *                                 with PROMETHEUS_URL, query=<PromQL>), over range= at step=
 * GET /api/analytics/forecast     series= | query=, horizon= (required), range=, step=
 * GET /api/analytics/anomalies    stored anomalies (series=, since=, severity=, limit=), or, with
 *                                 query=, anomalies detected now over a Prometheus series
 * GET /api/analytics/capacity     a plan per resource series (history=)
 * Durations are `<number><unit>` with unit ms, s, m, h, d or w. Bad parameters → 422 naming them.
 */
import { Router } from 'express';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';
import { parseOrThrow } from '../http/index.js';
import type { AnalyticsService, SeriesSpec } from './analytics-service.js';
import { SERIES, seriesInfo } from './series-catalog.js';
import { queryInteger } from '../util/index.js';

const MAX_DURATION_MS = 3650 * 86_400_000;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d|w)$/, { error: 'must be a duration such as 90s, 15m, 6h or 7d' })
  .transform((text) => {
    const [, amount = '0', unit = 'ms'] = /^([\d.]+)(ms|s|m|h|d|w)$/.exec(text) ?? [];
    return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  })
  .refine((ms) => ms >= 1, { error: 'must be at least 1ms' })
  // 400 digits of weeks parse to Infinity (or lose precision); nothing here needs over 10 years.
  .refine((ms) => Number.isFinite(ms) && ms <= MAX_DURATION_MS, {
    error: 'must be at most 3650d',
  });

const seriesName = z.string().min(1).max(200);
const promql = z.string().min(1).max(4000);

export const readQuery = z.strictObject({
  series: seriesName.optional(),
  query: promql.optional(),
  range: duration.optional(),
  step: duration.optional(),
});

export const forecastQuery = readQuery.extend({ horizon: duration });

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const anomaliesQuery = z.strictObject({
  series: seriesName.optional(),
  query: promql.optional(),
  range: duration.optional(),
  step: duration.optional(),
  since: z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), { error: 'must be an ISO 8601 time' })
    .optional(),
  severity: z
    .string()
    .transform((text) => text.split(','))
    .pipe(
      z.array(
        z.enum(SEVERITIES, { error: 'must list low, medium, high or critical, comma-separated' }),
      ),
    )
    .optional(),
  limit: queryInteger(z.number().int('must be an integer').min(1).max(1000))
    .default(100)
    .meta({ override: { default: 100 } }),
});

export const capacityQuery = z.strictObject({ history: duration.optional() });

const MAX_POINTS = 10_000;
const MIN_FORECAST_POINTS = 8;

export function analyticsRoutes(
  service: AnalyticsService | undefined,
  maxRangeMs: number,
  sampleIntervalMs: number,
): Router {
  if (service === undefined) {
    const disabled = Router();
    disabled.use('/analytics', () => {
      throw new AppError('PCS_ERR_ANALYTICS_DISABLED');
    });
    return disabled;
  }
  const router = Router();

  /** Which series: at most one of series= and query=, and query= only with Prometheus. */
  const seriesOf = (query: {
    series?: string | undefined;
    query?: string | undefined;
  }): SeriesSpec | undefined => {
    if (query.series !== undefined && query.query !== undefined)
      throw validationError([{ field: 'query.query', message: 'give series or query, not both' }]);
    if (query.query !== undefined) {
      if (!service.prometheusEnabled)
        throw validationError([
          { field: 'query.query', message: 'needs PROMETHEUS_URL to be set' },
        ]);
      return { query: query.query };
    }
    if (query.series === undefined) return undefined;
    if (seriesInfo(query.series) === undefined)
      throw new AppError(
        'PCS_ERR_ANALYTICS_SERIES_NOT_FOUND',
        `No analytics series "${query.series}"`,
      );
    return { series: query.series };
  };

  const requiredSeries = (query: Parameters<typeof seriesOf>[0]): SeriesSpec => {
    const which = seriesOf(query);
    if (which === undefined)
      throw validationError([{ field: 'query.series', message: 'give series or query' }]);
    return which;
  };

  const withinRetention = (field: string, ms: number): number => {
    if (ms > maxRangeMs)
      throw validationError([
        {
          field,
          message: `must be at most the roll-up retention (${maxRangeMs / 86_400_000} d)`,
        },
      ]);
    return ms;
  };

  const timeWindow = (
    query: { range?: number | undefined; step?: number | undefined },
    defaultRange: number,
  ) => {
    const range = withinRetention('query.range', query.range ?? defaultRange);
    const step = query.step ?? Math.max(sampleIntervalMs, Math.ceil(range / 720 / 1000) * 1000);
    if (range / step > MAX_POINTS)
      throw validationError([
        {
          field: 'query.step',
          message: `gives over ${MAX_POINTS} points for the range; use a larger step`,
        },
      ]);
    return { range, step };
  };

  router.get('/analytics/series', async (req, res) => {
    const query = parseOrThrow(readQuery, req.query, 'query');
    const which = seriesOf(query);
    if (which === undefined) {
      const stored = new Map((await service.listStored()).map((s) => [s.series, s]));
      // Catalog order (traffic, errors, latency first: what a reader looks at first), then the
      // series only the store knows, sorted; a chart opening on the first series with data opens
      // on request_rate, not on an alphabetical, often flat-zero cost.
      const catalog = SERIES.map((s) => s.name);
      const extra = [...stored.keys()].filter((name) => !catalog.includes(name)).sort();
      res.json({
        prometheus: service.prometheusEnabled,
        series: [...catalog, ...extra].map((name) => ({
          ...seriesInfo(name),
          first: stored.get(name)?.first ?? null,
          last: stored.get(name)?.last ?? null,
          minutes: stored.get(name)?.minutes ?? 0,
        })),
      });
      return;
    }
    const { range, step } = timeWindow(query, 3_600_000);
    const points = await service.read(which, range, step);
    res.json({
      ...which,
      step_seconds: step / 1000,
      points: points.map((p) => ({ t: new Date(p.t).toISOString(), v: p.v })),
    });
  });

  router.get('/analytics/forecast', async (req, res) => {
    const query = parseOrThrow(forecastQuery, req.query, 'query');
    const which = requiredSeries(query);
    const { range, step } = timeWindow(query, 86_400_000);
    const steps = Math.ceil(query.horizon / step);
    if (steps > MAX_POINTS)
      throw validationError([
        {
          field: 'query.horizon',
          message: `is over ${MAX_POINTS} steps of ${step / 1000} s; use a larger step`,
        },
      ]);
    const points = await service.read(which, range, step);
    if (points.length < MIN_FORECAST_POINTS)
      throw validationError([
        {
          field: 'query' in which ? 'query.query' : 'query.series',
          message: `has ${points.length} points in the range; at least ${MIN_FORECAST_POINTS} are needed`,
        },
      ]);
    const result = service.forecast(points, steps);
    const last = points[points.length - 1]?.t ?? 0;
    res.json({
      ...which,
      step_seconds: step / 1000,
      history_points: points.length,
      method: result.method,
      period_steps: result.period,
      forecast: result.mean.map((mean, i) => ({
        t: new Date(last + (i + 1) * step).toISOString(),
        mean,
        lower: result.lower[i],
        upper: result.upper[i],
      })),
    });
  });

  router.get('/analytics/anomalies', async (req, res) => {
    const query = parseOrThrow(anomaliesQuery, req.query, 'query');
    const which = seriesOf(query);
    if (which !== undefined && 'query' in which) {
      // A PromQL series is scanned now; stored anomalies are those of the sampled series.
      const { range, step } = timeWindow(query, 86_400_000);
      const points = await service.read(which, range, step);
      const found = service
        .detect(points)
        .filter((a) => query.severity === undefined || query.severity.includes(a.severity));
      res.json({
        query: which.query,
        points: points.length,
        anomalies: found.slice(-query.limit).reverse(),
      });
      return;
    }
    const anomalies = await service.storedAnomalies({
      ...(which === undefined ? {} : { series: which.series }),
      ...(query.since === undefined ? {} : { since: Date.parse(query.since) }),
      ...(query.severity === undefined ? {} : { severities: query.severity }),
      limit: query.limit,
    });
    res.json({ anomalies });
  });

  router.get('/analytics/capacity', async (req, res) => {
    const query = parseOrThrow(capacityQuery, req.query, 'query');
    const history = withinRetention('query.history', query.history ?? 7 * 86_400_000);
    res.json({ history_seconds: history / 1000, plans: await service.capacity(history) });
  });

  return router;
}
