/**
 * Reads one series from Prometheus's HTTP API (`/api/v1/query_range`), so any PromQL expression
 * can be forecast or checked for anomalies with the same code as the sampled series. The query
 * must yield one series (wrap it in sum(), avg() … otherwise); Prometheus's own error for a bad
 * expression is returned to the caller as a 422 on `query`.
 */
import { request } from 'undici';
import { AppError } from '../errors.js';
import type { Point } from './analytics-store.js';

/** Prometheus refuses more than 11,000 points per series; stay well under. */
const MAX_POINTS = 10_000;

interface QueryRangeBody {
  status?: string;
  error?: string;
  data?: {
    resultType?: string;
    result?: { metric: Record<string, string>; values: [number, string][] }[];
  };
}

export class PrometheusSource {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async read(query: string, from: number, to: number, stepMs: number): Promise<Point[]> {
    const step = Math.max(stepMs, Math.ceil((to - from) / MAX_POINTS / 1000) * 1000);
    const url = new URL(
      'api/v1/query_range',
      this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`,
    );
    url.searchParams.set('query', query);
    url.searchParams.set('start', (from / 1000).toFixed(3));
    url.searchParams.set('end', (to / 1000).toFixed(3));
    url.searchParams.set('step', `${step / 1000}s`);
    let body: QueryRangeBody;
    let status: number;
    try {
      const response = await request(url, {
        method: 'GET',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      body = (await response.body.json()) as QueryRangeBody;
    } catch (error) {
      throw new AppError(
        'PCS_ERR_ANALYTICS_SOURCE_UNAVAILABLE',
        `Prometheus at PROMETHEUS_URL did not answer (${error instanceof Error ? error.name : 'error'})`,
      );
    }
    if (status === 400 || status === 422)
      throw new AppError('PCS_ERR_VALIDATION_FAILED', 'Prometheus rejected the query', [
        { field: 'query.query', message: body.error ?? 'rejected by Prometheus' },
      ]);
    if (status !== 200 || body.status !== 'success' || body.data?.resultType !== 'matrix')
      throw new AppError('PCS_ERR_ANALYTICS_SOURCE_UNAVAILABLE', `Prometheus answered ${status}`);
    const result = body.data.result ?? [];
    if (result.length > 1)
      throw new AppError('PCS_ERR_VALIDATION_FAILED', 'The query must return one series', [
        {
          field: 'query.query',
          message: `returns ${result.length} series; aggregate it, e.g. sum(…)`,
        },
      ]);
    return (result[0]?.values ?? [])
      .map(([seconds, text]) => ({ t: Math.round(seconds * 1000), v: Number(text) }))
      .filter((p) => Number.isFinite(p.v));
  }
}
