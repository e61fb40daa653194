import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HealthCheck } from '../health-check.js';

/**
 * Event-loop delay p99 since the previous check (the histogram is reset each time): warn above
 * 100 ms, fail above 500 ms. Not critical: a busy loop degrades, it does not take the service down.
 */
export function eventLoopCheck(warnMs = 100, failMs = 500): HealthCheck & { stop(): void } {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  return {
    name: 'event_loop',
    critical: false,
    run() {
      const p99 = histogram.count === 0 ? 0 : histogram.percentile(99) / 1e6;
      const max = histogram.count === 0 ? 0 : histogram.max / 1e6;
      histogram.reset();
      const observed = {
        delay_p99_ms: Math.round(p99 * 10) / 10,
        delay_max_ms: Math.round(max * 10) / 10,
      };
      const threshold = { warn_above_ms: warnMs, fail_above_ms: failMs };
      const status = p99 > failMs ? 'fail' : p99 > warnMs ? 'warn' : 'pass';
      return Promise.resolve({ status, observed, threshold });
    },
    stop: () => histogram.disable(),
  };
}
