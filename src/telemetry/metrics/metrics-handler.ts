/**
 * `metricsHandler` at GET /api/metrics: Prometheus text by default, OpenMetrics when the
 * scraper asks for it. With `METRICS_TOKEN` set, a matching bearer token is required (401
 * otherwise; the comparison is constant-time).
 */
import { bearerMatches } from '../../util/index.js';
import type { RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import type { Metrics } from './metrics.js';
import {
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  serialize,
} from './serialize.js';

export function metricsHandler(metrics: Metrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (token !== undefined && !bearerMatches(req.get('authorization'), token)) {
      res.status(401).set('www-authenticate', 'Bearer realm="metrics"');
      res.json(new AppError('PCS_ERR_METRICS_UNAUTHORIZED').toBody());
      return;
    }
    const format = negotiateFormat(req.get('accept'));
    const body = await serialize(metrics.registry, format);
    res.set(
      'content-type',
      format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
    );
    res.set('cache-control', 'no-store');
    res.send(body);
  };
}
