import { getHeapStatistics } from 'node:v8';
import type { HealthCheck } from '../health-check.js';

/** Heap used against V8's heap limit: warn at 85 %, fail at 95 %. Not critical. */
export function memoryCheck(warnRatio = 0.85, failRatio = 0.95): HealthCheck {
  return {
    name: 'memory',
    critical: false,
    run() {
      const heap = getHeapStatistics();
      const ratio = heap.used_heap_size / heap.heap_size_limit;
      const observed = {
        heap_used_bytes: heap.used_heap_size,
        heap_limit_bytes: heap.heap_size_limit,
        rss_bytes: process.memoryUsage.rss(),
        heap_used_ratio: Math.round(ratio * 1000) / 1000,
      };
      const threshold = { warn_above_ratio: warnRatio, fail_above_ratio: failRatio };
      const status = ratio > failRatio ? 'fail' : ratio > warnRatio ? 'warn' : 'pass';
      return Promise.resolve({ status, observed, threshold });
    },
  };
}
