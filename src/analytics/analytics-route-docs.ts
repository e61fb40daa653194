/** What the analytics routes take and answer (src/http/route-doc.ts). */
import { z } from 'zod';
import { timestamp, type RouteDoc } from '../http/index.js';
import { anomaliesQuery, capacityQuery, forecastQuery, readQuery } from './analytics-routes.js';

const tag = 'Analytics';
const which = { series: z.string().optional(), query: z.string().optional() };
const anomaly = z
  .strictObject({
    id: z.string().optional(),
    series: z.string().optional(),
    at: timestamp,
    value: z.number(),
    expected: z.number(),
    score: z.number(),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    kind: z.string(),
  })
  .meta({ id: 'Anomaly' });
const seriesInfo = z.strictObject({
  name: z.string(),
  unit: z.string(),
  description: z.string(),
  kind: z.enum(['level', 'rate', 'monotonic', 'ratio']),
  worse: z.enum(['up', 'down', 'both']),
  actionable: z.boolean(),
  first: timestamp.nullable(),
  last: timestamp.nullable(),
  minutes: z.number().int().nonnegative(),
});
const horizon = z.strictObject({
  horizon: z.string(),
  at: timestamp,
  mean: z.number(),
  lower: z.number(),
  upper: z.number(),
  extrapolated: z.boolean(),
});
const plan = z
  .strictObject({
    series: z.string(),
    current: z.number().nullable(),
    limit: z
      .strictObject({
        value: z.number(),
        direction: z.enum(['above', 'below']),
        source: z.string(),
      })
      .nullable(),
    method: z.string().nullable(),
    forecasts: z.array(horizon),
    crossesAt: timestamp.nullable(),
    mayCrossAt: timestamp.nullable(),
    recommendation: z.string(),
  })
  .meta({ id: 'CapacityPlan' });
const errors = ['PCS_ERR_ANALYTICS_DISABLED', 'PCS_ERR_ANALYTICS_SOURCE_UNAVAILABLE'] as const;

export const analyticsRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/analytics/series',
    operationId: 'getAnalyticsSeries',
    tag,
    summary: 'Without series/query: the series catalog; with one: its points',
    query: readQuery,
    responses: {
      200: {
        description: 'The catalog, or the points of one series',
        schema: z.union([
          z.strictObject({ prometheus: z.boolean(), series: z.array(seriesInfo) }),
          z.strictObject({
            ...which,
            step_seconds: z.number().positive(),
            points: z.array(z.strictObject({ t: timestamp, v: z.number() })),
          }),
        ]),
      },
    },
    errors: [...errors, 'PCS_ERR_ANALYTICS_SERIES_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/analytics/forecast',
    operationId: 'getAnalyticsForecast',
    tag,
    summary: 'Forecast of a series with its prediction interval',
    query: forecastQuery,
    responses: {
      200: {
        description: 'The forecast',
        schema: z.strictObject({
          ...which,
          step_seconds: z.number().positive(),
          history_points: z.number().int(),
          method: z.string(),
          period_steps: z.number().int().nullable(),
          forecast: z.array(
            z.strictObject({
              t: timestamp,
              mean: z.number(),
              lower: z.number(),
              upper: z.number(),
            }),
          ),
        }),
      },
    },
    errors: [...errors, 'PCS_ERR_ANALYTICS_SERIES_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/analytics/anomalies',
    operationId: 'listAnalyticsAnomalies',
    tag,
    summary: 'Anomalies found in the sampled series, or in a PromQL series scanned now',
    query: anomaliesQuery,
    responses: {
      200: {
        description: 'Anomalies, newest first',
        schema: z.union([
          z.strictObject({ anomalies: z.array(anomaly) }),
          z.strictObject({
            query: z.string(),
            points: z.number().int(),
            anomalies: z.array(anomaly),
          }),
        ]),
      },
    },
    errors: [...errors, 'PCS_ERR_ANALYTICS_SERIES_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/analytics/capacity',
    operationId: 'getAnalyticsCapacity',
    tag,
    summary: 'Capacity plans: when memory, disk or load cross their limits',
    query: capacityQuery,
    responses: {
      200: {
        description: 'One plan per capacity series',
        schema: z.strictObject({ history_seconds: z.number(), plans: z.array(plan) }),
      },
    },
    errors: [...errors],
  },
];
