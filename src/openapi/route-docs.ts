/** Every route the service mounts, described (src/http/route-doc.ts): one list per feature. */
import { alertRouteDocs } from '../alerting/index.js';
import { analyticsRouteDocs } from '../analytics/index.js';
import { auditRouteDocs } from '../audit/index.js';
import { keyRouteDocs } from '../auth/index.js';
import { cardExtraRouteDocs, cardRouteDocs } from '../cards/index.js';
import { healthRouteDocs } from '../health/index.js';
import type { RouteDoc } from '../http/index.js';
import { ratingRouteDocs } from '../ratings/index.js';
import { onlineRouteDocs, onlineSummaryRouteDocs } from '../otlp/index.js';
import { runRouteDocs } from '../runs/index.js';
import { platformRouteDocs } from './platform-route-docs.js';

export interface RouteDocOptions {
  readonly maxConcurrency: number;
  readonly defaultConcurrency: number;
}

export function allRouteDocs(options: RouteDocOptions): RouteDoc[] {
  return [
    ...cardRouteDocs,
    ...cardExtraRouteDocs,
    ...runRouteDocs(options.maxConcurrency, options.defaultConcurrency),
    ...ratingRouteDocs,
    ...alertRouteDocs,
    ...analyticsRouteDocs,
    ...onlineRouteDocs,
    ...onlineSummaryRouteDocs,
    ...keyRouteDocs,
    ...auditRouteDocs,
    ...healthRouteDocs,
    ...platformRouteDocs,
  ];
}
