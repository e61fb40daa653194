export { RunEngine, type RunObserver, type RunEngineDeps } from './run-engine.js';
export { RunEvents, type RunEvent, type RunEventBus, type RunControl } from './run-events.js';
export { RunExecutor } from './run-executor.js';
export { RunLeases, newLeaseOwner } from './run-lease.js';
export { InProcessRunQueue, type RunQueue } from './run-queue.js';
export { RunStore } from './run-store.js';
export { runRoutes } from './run-routes.js';
export { attachProgressSocket, type ProgressSocket } from './progress-socket.js';
export * from './run-schema.js';
export { percentile, summarize } from './run-summary.js';
export { runPool } from './run-pool.js';
export { runRouteDocs } from './run-route-docs.js';
export {
  lifecycleOf,
  type RunLifecycle,
  type RunOutbox,
  type RunStateChange,
} from './run-outbox.js';
export { startRunRuntime, type RunRuntime } from './run-runtime.js';
export type { JobOutcome } from './run-worker.js';
export {
  bootstrapMeanInterval,
  compareRuns,
  mcnemarExactP,
  passHatK,
  RunComparer,
  type CaseChange,
  type ComparedResult,
  type Comparison,
  type ComparisonVerdict,
  type ModelComparison,
  type RegressionEvent,
} from './compare/index.js';
export type { RunSemaphore, JobSlots } from './run-semaphore.js';
export { openRunSemaphore } from './open-run-semaphore.js';
