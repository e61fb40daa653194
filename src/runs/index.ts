export { RunEngine, type RunObserver, type RunEngineDeps } from './run-engine.js';
export { RunEvents, type RunEvent } from './run-events.js';
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
