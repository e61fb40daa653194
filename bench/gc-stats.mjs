// Preload of bench/run-memory.ts (`NODE_OPTIONS=--import <this file>`): counts the process's
// garbage collections by kind (scavenges of the young generation, mark-compacts of the whole
// heap), the V8 heap's highest total and in-use size seen after each collection, and how much
// the old space grew across scavenges (promotion, mostly); writes them as JSON to GC_STATS_OUT
// when the process exits.
import { writeFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const counts = { scavenges: 0, markCompacts: 0, other: 0, gcMs: 0 };
let peakHeapTotal = 0;
let peakHeapUsed = 0;
let lastOld = 0;
let oldGrowth = 0;
/** Old-space bytes in use now (old, code, map and large-object spaces). */
function oldUsed() {
  let sum = 0;
  for (const space of getHeapSpaceStatistics())
    if (space.space_name !== 'new_space' && space.space_name !== 'new_large_object_space')
      sum += space.space_used_size;
  return sum;
}
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind ?? entry.kind;
    counts.gcMs += entry.duration;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      counts.scavenges++;
      // A scavenge only adds to the old space: what it grew by is what it promoted.
      const now = oldUsed();
      if (now > lastOld) oldGrowth += now - lastOld;
      lastOld = now;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      counts.markCompacts++;
      lastOld = oldUsed();
    } else counts.other++;
    const heap = getHeapStatistics();
    peakHeapTotal = Math.max(peakHeapTotal, heap.total_heap_size);
    peakHeapUsed = Math.max(peakHeapUsed, heap.used_heap_size);
  }
}).observe({ entryTypes: ['gc'] });
process.on('exit', () => {
  if (process.env.GC_STATS_OUT === undefined) return;
  const mb = (bytes) => Math.round(bytes / 1048576);
  writeFileSync(
    process.env.GC_STATS_OUT,
    JSON.stringify({
      ...counts,
      gcMs: Math.round(counts.gcMs),
      oldGrowthMB: mb(oldGrowth),
      peakHeapTotalMB: mb(peakHeapTotal),
      peakHeapUsedMB: mb(peakHeapUsed),
    }),
  );
});
