/**
 * CPU cost of one request through `metricsMiddleware` (histogram observe + counter inc + route
 * label), measured in one process with stand-in request/response objects: the figure the
 * noisy end-to-end comparison of bench/http-overhead cannot resolve.
 *
 *   npm run bench:metrics-middleware
 */
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { Metrics, metricsMiddleware } from '../src/telemetry/metrics/index.js';
import { machineLine, writeSection } from './bench-report.js';

const N = 200_000;

function perRequestMicros(withMiddleware: boolean): number {
  const metrics = new Metrics({ defaultMetrics: false });
  const middleware = metricsMiddleware(metrics);
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    const req = { method: 'GET', route: { path: '/prompt-cards/:id' } };
    if (withMiddleware)
      middleware(req as unknown as Request, res as unknown as Response, () => undefined);
    res.emit('finish');
  }
  return ((performance.now() - started) * 1000) / N;
}

const rows: string[] = [];
for (let round = 0; round < 5; round++) {
  const base = perRequestMicros(false);
  const withMetrics = perRequestMicros(true);
  rows.push(
    `| ${round + 1} | ${base.toFixed(2)} | ${withMetrics.toFixed(2)} | ${(withMetrics - base).toFixed(2)} |`,
  );
}
console.log(rows.join('\n'));
writeSection(
  'metrics-middleware',
  `## Metrics middleware CPU per request (\`npm run bench:metrics-middleware\`)

${N.toLocaleString('en')} simulated requests per round, stand-in request/response objects; the difference is
what metricsMiddleware adds to one request (round 1 includes JIT warm-up). At 1,000 requests
per second, 4 µs is 0.4 % of one core. Machine: ${machineLine()}.

| round | µs/request without | µs/request with | added µs |
| --- | --- | --- | --- |
${rows.join('\n')}`,
);
