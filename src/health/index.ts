export type {
  CheckObservation,
  CheckResult,
  CheckStatus,
  HealthCheck,
  OverallStatus,
} from './health-check.js';
export { overallStatus } from './health-check.js';
export {
  HealthOrchestrator,
  statusValue,
  type ComprehensiveHealth,
} from './health-orchestrator.js';
export { healthRoutes } from './health-routes.js';
export { databaseCheck } from './checks/database.js';
export { providerCheck } from './checks/provider.js';
export { diskCheck } from './checks/disk.js';
export { memoryCheck } from './checks/memory.js';
export { eventLoopCheck } from './checks/event-loop.js';
export { healthRouteDocs } from './health-route-docs.js';
