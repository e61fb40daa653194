import { statfs } from 'node:fs/promises';
import type { HealthCheck } from '../health-check.js';

export interface DiskThresholds {
  /** Warn below this share of free space. */
  readonly warnFreeRatio: number;
  /** Fail below this share of free space, or below `failFreeBytes`. */
  readonly failFreeRatio: number;
  readonly failFreeBytes: number;
}

export const DEFAULT_DISK_THRESHOLDS: DiskThresholds = {
  warnFreeRatio: 0.1,
  failFreeRatio: 0.02,
  failFreeBytes: 100 * 1024 * 1024,
};

/** Free space where the data lives. Critical: a full disk stops every write. */
export function diskCheck(
  path: string,
  thresholds: DiskThresholds = DEFAULT_DISK_THRESHOLDS,
): HealthCheck {
  return {
    name: 'disk',
    critical: true,
    async run() {
      const stats = await statfs(path);
      const free = stats.bavail * stats.bsize;
      const total = stats.blocks * stats.bsize;
      const ratio = total === 0 ? 1 : free / total;
      const observed = {
        path,
        free_bytes: free,
        total_bytes: total,
        free_ratio: Math.round(ratio * 1000) / 1000,
      };
      const threshold = {
        warn_below_ratio: thresholds.warnFreeRatio,
        fail_below_ratio: thresholds.failFreeRatio,
        fail_below_bytes: thresholds.failFreeBytes,
      };
      if (ratio < thresholds.failFreeRatio || free < thresholds.failFreeBytes)
        return { status: 'fail', observed, threshold };
      return { status: ratio < thresholds.warnFreeRatio ? 'warn' : 'pass', observed, threshold };
    },
  };
}
