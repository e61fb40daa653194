/** What the probe routes answer (src/http/route-doc.ts). */
import { z } from 'zod';
import { timestamp, type RouteDoc } from '../http/index.js';

const tag = 'Health';
const checkResult = z
  .strictObject({
    name: z.string(),
    critical: z.boolean(),
    status: z.enum(['pass', 'warn', 'fail']),
    observed: z.unknown().optional(),
    threshold: z.unknown().optional(),
    message: z.string().optional(),
    latency_ms: z.number().nonnegative(),
    checked_at: timestamp,
  })
  .meta({ id: 'HealthCheckResult' });
const comprehensive = z
  .strictObject({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    checked_at: timestamp,
    checks: z.array(checkResult),
  })
  .meta({ id: 'ComprehensiveHealth' });
const ready = z.strictObject({ ready: z.boolean() });

export const healthRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/health/comprehensive',
    operationId: 'getComprehensiveHealth',
    tag,
    summary: 'Every health check; 503 when a critical one fails',
    public: true,
    responses: {
      200: { description: 'Healthy or degraded', schema: comprehensive },
      503: { description: 'Unhealthy', schema: comprehensive },
    },
  },
  {
    method: 'get',
    path: '/health/:service',
    operationId: 'getServiceHealth',
    tag,
    summary: 'One health check by name; 503 when it fails',
    public: true,
    params: z.strictObject({ service: z.string() }),
    responses: {
      200: { description: 'Passing or warning', schema: checkResult },
      503: { description: 'Failing', schema: checkResult },
    },
    errors: ['PCS_ERR_HEALTH_CHECK_UNKNOWN'],
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'getReadiness',
    tag,
    summary: 'Readiness probe: critical checks pass and the server is not shutting down',
    public: true,
    responses: {
      200: { description: 'Ready', schema: ready },
      503: { description: 'Not ready', schema: ready },
    },
  },
  {
    method: 'get',
    path: '/live',
    operationId: 'getLiveness',
    tag,
    summary: 'Liveness probe: the event loop answers',
    public: true,
    responses: { 200: { description: 'Live', schema: z.strictObject({ live: z.boolean() }) } },
  },
];
